import { realpathSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { Application } from "../types.js";
import { resolveScript } from "./resolve.js";
import { scriptRunner, type CgiHostOptions, type ScriptRunner } from "./runner.js";

export type { CgiHostOptions } from "./runner.js";

/**
 * An application that runs the CGI scripts under `dir` as real child processes, as a CGI
 * server does: the path is walked until it reaches a file (SCRIPT_NAME up to it, PATH_INFO
 * the rest), the script gets an RFC 3875 environment and the body on stdin, and its output
 * streams back through `start_response` (Status, Location and `nph-` scripts understood).
 * Missing scripts give 404, traversal and non-executable files 403, broken output or a crash
 * 502, a script past the timeout 504 (killed with its process group), a full queue 503.
 * Every process is reaped before its slot is reused; stderr goes to `wsgi.errors`.
 *
 * @example
 * const legacy = cgiHost("./cgi-bin", { interpreters: { ".js": [process.execPath] }, timeout: 10_000 });
 * createHttpServer(urlMap({ "/cgi-bin": legacy })).listen(8000);
 */
export function cgiHost(dir: string, options: CgiHostOptions = {}): Application {
  return hostOn(scriptRunner(options), dir, options);
}

/**
 * An application that runs one CGI script for every request: SCRIPT_NAME and PATH_INFO are
 * passed as they come (mount it with `urlMap`). The same rules as {@link cgiHost} apply.
 *
 * @example
 * const app = urlMap({ "/old/report": legacyScript("./legacy/report.pl") });
 */
export function legacyScript(file: string, options: CgiHostOptions = {}): Application {
  return scriptOn(scriptRunner(options), file, options);
}

/** {@link cgiHost} over a given runner, so several hosts can share one pool of slots. */
export function hostOn(run: ScriptRunner, dir: string, options: CgiHostOptions): Application {
  const root = realpathSync(dir);
  return (environ, start_response) =>
    run(resolveScript(root, environ.PATH_INFO, options), environ, start_response);
}

/** {@link legacyScript} over a given runner. */
export function scriptOn(run: ScriptRunner, file: string, options: CgiHostOptions): Application {
  const real = realpathSync(file);
  const root = dirname(real);
  const name = "/" + basename(real);
  return async (environ, start_response) => {
    const resolving = resolveScript(root, name, options).then((script) => ({
      ...script,
      scriptPath: "",
      pathInfo: environ.PATH_INFO,
    }));
    return run(resolving, environ, start_response);
  };
}
