import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
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
 * `cgi2wsgi` command registers one). A migrated CGI script keeps its name (`index.cgi`,
 * `guestbook.njs`, `form`), and `import()` refuses extensions it does not know, so such a
 * file is loaded with `require()`, which takes any other extension as CommonJS.
 *
 * @example
 * const app = await loadApplication("cgi-bin/form.mjs");
 * const legacyNamed = await loadApplication("cgi-bin/index.cgi");
 */
export async function loadApplication(file: string): Promise<Application> {
  const path = resolve(file);
  const name = basename(path);
  const viaImport =
    IMPORTABLE.test(name) || (!name.includes(".") && packageType(path) === "module");
  const module = (viaImport ? await import(pathToFileURL(path).href) : requireFile(path)) as Record<
    string,
    unknown
  >;
  const app = pickApplication(module) ?? pickApplication(module.default);
  if (!app) throw new NoApplicationError(file);
  return app;
}

/** The `type` of the package.json nearest to `file`, as Node reads it. */
function packageType(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string })
        .type;
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}

function requireFile(path: string): unknown {
  return createRequire(path)(path);
}

function pickApplication(value: unknown): Application | undefined {
  if (typeof value === "function") return value as Application;
  if (value && typeof value === "object") {
    const named = (value as { application?: unknown }).application;
    if (typeof named === "function") return named as Application;
  }
  return undefined;
}

// What `import()` loads by name: JavaScript and TypeScript extensions. Anything else (.cgi,
// .njs, .jsx) goes through require(), and so does an extensionless file outside a
// `"type": "module"` package (import() with a loader such as tsx may resolve `wishes` to a
// `wishes.json` beside it; require() takes the file named).
const IMPORTABLE = /\.(?:c|m)?[jt]s$/;
// Files that may be applications: those, and the names CGI scripts keep after migrate.
const MODULE_FILE = /\.(?:(?:c|m)?[jt]s|cgi|njs|jsx)$|(?:^|[\\/])[^.\\/]+$/;
// An extensionless file bigger than this is a compiled program, not a module.
const MAX_SOURCE = 4 * 1024 * 1024;
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
  if ((await stat(file)).size > MAX_SOURCE) return false;
  const source = await readFile(file, "utf8");
  return EXPORTS_APP.test(source);
}
