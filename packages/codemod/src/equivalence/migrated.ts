import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { errorPage, request, type Application } from "@cgi2wsgi/runtime";
import { resolveRequest } from "./case-request.js";
import type { CaseRequest, CaseResponse, MountOptions } from "./types.js";

/** The module has no application to call. */
export class NoApplicationError extends Error {
  readonly code = "ERR_NO_APPLICATION";

  constructor(modulePath: string) {
    super(
      `${modulePath} exports no application; export a function named "application" (or a default export)`,
    );
    this.name = "NoApplicationError";
  }
}

/**
 * Imports a module and returns its application: the `application` export (ESM or
 * CommonJS `exports.application`), else a default export that is a function.
 *
 * @example
 * const app = await loadApplication("out/cgi-bin/form.cjs");
 */
export async function loadApplication(modulePath: string): Promise<Application> {
  const mod = (await import(pathToFileURL(resolve(modulePath)).href)) as Record<string, unknown>;
  const fallback = mod.default as Record<string, unknown> | undefined;
  const candidate = mod.application ?? fallback?.application ?? fallback;
  if (typeof candidate !== "function") throw new NoApplicationError(modulePath);
  return candidate as Application;
}

/**
 * Calls a migrated application in-process through the runtime's test client, mounted where
 * the legacy script was, for one fixture request.
 *
 * @example
 * const res = await runMigrated("out/cgi-bin/hello.cjs", { query: "name=Ada" });
 * res.body.toString(); // the same page the CGI script printed
 */
export async function runMigrated(
  module: string | Application,
  caseRequest: CaseRequest,
  options: MountOptions & { scriptPath?: string } = {},
): Promise<CaseResponse> {
  const app = typeof module === "function" ? module : await loadApplication(module);
  const scriptPath = options.scriptPath ?? (typeof module === "string" ? module : "app.js");
  const req = resolveRequest(caseRequest, scriptPath, options);
  const res = await request(app, {
    method: req.method,
    mount: req.scriptName,
    path: req.scriptName + req.pathInfo,
    query: req.query,
    headers: req.headers,
    body: req.body,
  });
  const status = `${res.status} ${res.statusText}`;
  const page = errorPage(status);
  const gateway =
    res.status >= 500 &&
    res.body.equals(page.body) &&
    JSON.stringify(res.headers) === JSON.stringify(page.headers);
  return {
    status,
    headers: res.headers,
    body: res.body,
    origin: gateway ? "gateway" : "script",
    errors: res.errors,
    ...(gateway ? { reason: res.errors.split("\n")[0] } : {}),
  };
}
