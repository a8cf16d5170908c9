import { errorPage, loadApplication, request, type Application } from "@cgi2wsgi/runtime";
import { resolveRequest } from "./case-request.js";
import type { CaseRequest, CaseResponse, MountOptions } from "./types.js";

// The harness loads a migrated module exactly as `serve` does, whatever its file name.
export { loadApplication, NoApplicationError } from "@cgi2wsgi/runtime";

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
