import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { Application } from "../types.js";

/** A module file was asked to serve but exports no application. */
export class NoApplicationError extends Error {
  readonly code = "ERR_NO_APPLICATION";
  constructor(file: string) {
    super(
      `${file} exports no application: export a function named "application" ` +
        `(ESM \`export function application\`, CommonJS \`exports.application = ...\`) or a default export; ` +
        `run \`cgi2wsgi migrate ${file}\` if it is still a CGI script`,
    );
    this.name = "NoApplicationError";
  }
}

/**
 * A file that visibly exports an application could not be loaded (a syntax error, a missing
 * module, a throw at import time, or no application after all). Serving it as anything else
 * would answer every request wrongly, so servers refuse to start instead.
 */
export class ModuleLoadError extends Error {
  readonly code = "ERR_MODULE_LOAD";
  constructor(
    readonly file: string,
    override readonly cause: unknown,
  ) {
    super(`cannot load ${file}: ${describeCause(cause)}`);
    this.name = "ModuleLoadError";
  }
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // Node's own "Cannot find module" message carries a require stack; its first line says it.
  const first = cause.message.split("\n")[0]!;
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === "ERR_UNKNOWN_FILE_EXTENSION" && /\.[cm]?ts"?$/.test(first)) {
    return `${first} (TypeScript needs a loader: serve it with the cgi2wsgi command, which registers one)`;
  }
  return first;
}

/**
 * Imports a module and returns the application it exports: the named export `application`
 * (ESM, or CommonJS `exports.application`), else a default export that is a function or an
 * object holding `application`. `.ts` files need a TypeScript loader in the process (the
 * `cgi2wsgi` command registers one).
 *
 * @example
 * const app = await loadApplication("cgi-bin/form.mjs");
 */
export async function loadApplication(file: string): Promise<Application> {
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const app = pickApplication(module) ?? pickApplication(module.default);
  if (!app) throw new NoApplicationError(file);
  return app;
}

function pickApplication(value: unknown): Application | undefined {
  if (typeof value === "function") return value as Application;
  if (value && typeof value === "object") {
    const named = (value as { application?: unknown }).application;
    if (typeof named === "function") return named as Application;
  }
  return undefined;
}

const MODULE_FILE = /\.(?:c|m)?[jt]s$/;
const EXPORTS_APP =
  /\bexport\s+(?:async\s+)?(?:function\s*\*?\s*application\b|(?:const|let|var)\s+application\b|default\b|\{[^}]*\bapplication\b)|\bexports\.application\b|\bmodule\.exports\b[^;]*\bapplication\b/;

/**
 * Tells from the source text, without running it, whether a file can be an application
 * module. Loading a file runs it, and a legacy CGI script run at import time would read the
 * server's own stdin and print to its stdout; so only files that visibly export an
 * application are ever imported.
 *
 * @example
 * await looksLikeApplication("app.mjs"); // true when it says `export function application`
 */
export async function looksLikeApplication(file: string): Promise<boolean> {
  if (!MODULE_FILE.test(file) || file.endsWith(".d.ts") || /\.test\.[cm]?[jt]s$/.test(file)) {
    return false;
  }
  const source = await readFile(file, "utf8");
  return EXPORTS_APP.test(source);
}
