import type { Environ } from "../types.js";

// One object per request: a script and the helpers it calls (through requestProcess) see
// each other's writes, as they shared one process.env under CGI.
const envs = new WeakMap<Environ, Record<string, string | undefined>>();

/**
 * The request's meta-variables as a migrated script used to see them in `process.env`:
 * an object of string values only (no `wsgi.*` keys), the same one for every call with
 * the same environ, which the script may read, scan with `Object.keys`, and write to
 * without touching the server's environment.
 *
 * @example
 * const env = cgiEnv(environ);
 * Object.keys(env).filter((name) => name.startsWith("HTTP_"));
 */
export function cgiEnv(environ: Environ): Record<string, string | undefined> {
  let env = envs.get(environ);
  if (env) return env;
  env = {};
  envs.set(environ, env);
  for (const [name, value] of Object.entries(environ)) {
    if (typeof value === "string" && !name.startsWith("wsgi.")) env[name] = value;
  }
  return env;
}
