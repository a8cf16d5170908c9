import type { Environ } from "../types.js";

/**
 * The CGI meta-variables every environ holds, as strings (PEP 3333's required keys); a
 * gateway fills in defaults for those a front server leaves out.
 *
 * @example
 * for (const key of REQUIRED_CGI_KEYS) console.log(key, environ[key]);
 */
export const REQUIRED_CGI_KEYS = [
  "REQUEST_METHOD",
  "SCRIPT_NAME",
  "PATH_INFO",
  "QUERY_STRING",
  "SERVER_NAME",
  "SERVER_PORT",
  "SERVER_PROTOCOL",
] as const satisfies ReadonlyArray<keyof Environ>;

/**
 * Every meta-variable the {@link Environ} type names as a string, required or optional:
 * code that reads these type-checks without a cast.
 *
 * @example
 * TYPED_CGI_KEYS.includes("REMOTE_ADDR"); // true
 */
export const TYPED_CGI_KEYS = [
  ...REQUIRED_CGI_KEYS,
  "CONTENT_TYPE",
  "CONTENT_LENGTH",
  "REMOTE_ADDR",
  "REMOTE_PORT",
  "REQUEST_URI",
  "DOCUMENT_ROOT",
  "HTTPS",
  "GATEWAY_INTERFACE",
  "SERVER_SOFTWARE",
] as const satisfies ReadonlyArray<keyof Environ>;

/**
 * Meta-variables an environ never holds: front servers that forward these as headers would
 * let a client override the real ones (HTTP_PROXY is the httpoxy hole, the other two shadow
 * CONTENT_*).
 *
 * @example
 * FORBIDDEN_KEYS.some((key) => key in environ); // false
 */
export const FORBIDDEN_KEYS = ["HTTP_PROXY", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"] as const;

/**
 * The `wsgi.*` keys every environ holds.
 *
 * @example
 * WSGI_KEYS.every((key) => key in environ); // true
 */
export const WSGI_KEYS = [
  "wsgi.version",
  "wsgi.url_scheme",
  "wsgi.input",
  "wsgi.errors",
  "wsgi.multithread",
  "wsgi.multiprocess",
  "wsgi.run_once",
] as const satisfies ReadonlyArray<keyof Environ>;
