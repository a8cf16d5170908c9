import type { Environ } from "../types.js";

/**
 * The request's meta-variables as a migrated script used to see them in `process.env`:
 * a fresh object of string values only (no `wsgi.*` keys), which the script may read,
 * scan with `Object.keys`, and write to without touching the server's environment.
 *
 * @example
 * const env = cgiEnv(environ);
 * Object.keys(env).filter((name) => name.startsWith("HTTP_"));
 */
export function cgiEnv(environ: Environ): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(environ)) {
    if (typeof value === "string" && !name.startsWith("wsgi.")) env[name] = value;
  }
  return env;
}
