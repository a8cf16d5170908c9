import type { Environ, WsgiErrors, WsgiInput } from "../types.js";
import { FORBIDDEN_KEYS } from "./environ-keys.js";

/** CGI meta-variables as a gateway received them, before hygiene. */
export type CgiMeta = Record<string, string | undefined>;

/** How the request is served, for the `wsgi.*` keys. */
export interface EnvironOptions {
  input: WsgiInput;
  errors: WsgiErrors;
  multithread: boolean;
  multiprocess: boolean;
  runOnce: boolean;
  /** Defaults to `https` when HTTPS is `on`/`1` or REQUEST_SCHEME is `https`, else `http`. */
  urlScheme?: string;
  /**
   * The values are wire bytes held as latin1 strings (FastCGI, SCGI, AJP13): decode them as
   * UTF-8, as Node decodes `process.env` under CGI, so an application sees the same strings
   * whichever gateway serves it.
   */
  latin1?: boolean;
}

const HIGH_BYTE = /[\x80-\xff]/;
// One frozen value for every request: nothing can change it, so there is no need for a copy each.
const WSGI_VERSION = Object.freeze([1, 0] as const);

const FORBIDDEN = new Set<string>(FORBIDDEN_KEYS);

/**
 * Builds the environ for one request from CGI meta-variables, applying the hygiene rules of
 * the contract: no `HTTP_PROXY`, no `HTTP_CONTENT_TYPE`/`HTTP_CONTENT_LENGTH`, empty
 * `CONTENT_TYPE`/`CONTENT_LENGTH` removed, a SCRIPT_NAME of `/` becomes `''` (its slash moving
 * to PATH_INFO), and the
 * required keys always present as strings.
 *
 * @example
 * const environ = buildEnviron(
 *   { REQUEST_METHOD: "GET", PATH_INFO: "/x", SERVER_NAME: "localhost", SERVER_PORT: "80" },
 *   { input: inputFromBuffer(Buffer.alloc(0)), errors: createErrorStream(console.error),
 *     multithread: true, multiprocess: false, runOnce: false },
 * );
 */
export function buildEnviron(meta: CgiMeta, options: EnvironOptions): Environ {
  const environ: Record<string, unknown> = {};
  for (const key in meta) {
    const value = meta[key];
    if (value === undefined || FORBIDDEN.has(key)) continue;
    const text = String(value);
    environ[key] = options.latin1 && HIGH_BYTE.test(text) ? fromLatin1(text) : text;
  }
  return completeEnviron(environ, meta, options);
}

/**
 * {@link buildEnviron} for a gateway that decoded `meta` for this request alone: the object
 * itself becomes the environ, sparing a copy of every variable, which is a good part of a
 * small request's cost. Pass `latin1` only when some value holds a byte above 0x7f
 * (`buffer.isAscii` over the wire bytes tells at once); pure ASCII is the same in latin1
 * and UTF-8.
 *
 * @example
 * const meta = metaFromPairs(names, values, count);
 * const environ = adoptEnviron(meta, { ...options, latin1: !isAscii(paramsBytes) });
 */
export function adoptEnviron(meta: CgiMeta, options: EnvironOptions): Environ {
  for (let i = 0; i < FORBIDDEN_KEYS.length; i++) {
    const key = FORBIDDEN_KEYS[i]!;
    if (meta[key] !== undefined) delete meta[key];
  }
  if (options.latin1) {
    for (const key in meta) {
      const text = meta[key];
      if (text !== undefined && HIGH_BYTE.test(text)) meta[key] = fromLatin1(text);
    }
  }
  return completeEnviron(meta, meta, options);
}

function fromLatin1(text: string): string {
  return Buffer.from(text, "latin1").toString("utf8");
}

/** The hygiene rules that look at values, the required keys and the `wsgi.*` keys. */
function completeEnviron(
  environ: Record<string, unknown>,
  meta: CgiMeta,
  options: EnvironOptions,
): Environ {
  if (environ.CONTENT_TYPE === "") delete environ.CONTENT_TYPE;
  if (environ.CONTENT_LENGTH === "") delete environ.CONTENT_LENGTH;
  if (environ.SCRIPT_NAME === "/") {
    // nginx sends SCRIPT_NAME "/" for a request to "/"; the slash belongs to PATH_INFO, so
    // that the two never both end up empty.
    environ.SCRIPT_NAME = "";
    const path = (environ.PATH_INFO as string | undefined) ?? "";
    environ.PATH_INFO = path.startsWith("/") ? path : "/" + path;
  }
  environ.REQUEST_METHOD ??= "GET";
  environ.SCRIPT_NAME ??= "";
  environ.PATH_INFO ??= "";
  environ.QUERY_STRING ??= "";
  environ.SERVER_NAME ??= "localhost";
  environ.SERVER_PORT ??= "80";
  environ.SERVER_PROTOCOL ??= "HTTP/1.0";
  environ["wsgi.version"] = WSGI_VERSION;
  environ["wsgi.url_scheme"] = options.urlScheme ?? schemeOf(meta);
  environ["wsgi.input"] = options.input;
  environ["wsgi.errors"] = options.errors;
  environ["wsgi.multithread"] = options.multithread;
  environ["wsgi.multiprocess"] = options.multiprocess;
  environ["wsgi.run_once"] = options.runOnce;
  return environ as Environ;
}

function schemeOf(meta: CgiMeta): string {
  const https = meta.HTTPS?.toLowerCase();
  if (https === "on" || https === "1") return "https";
  return meta.REQUEST_SCHEME?.toLowerCase() === "https" ? "https" : "http";
}

const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * Turns HTTP request headers (Node's `rawHeaders` layout: name, value, name, value, ...) into
 * `HTTP_*` meta-variables. Repeated headers are joined with `, ` (cookies with `; `). Names
 * holding anything but letters, digits and `-` are dropped, as Apache does, so `X_Forwarded`
 * cannot pose as `X-Forwarded`. `Proxy`, `Content-Type` and `Content-Length` never become
 * `HTTP_*` keys.
 *
 * @example
 * headersToMeta(["Host", "example.org", "Cookie", "a=1", "Cookie", "b=2"]);
 * // { HTTP_HOST: "example.org", HTTP_COOKIE: "a=1; b=2" }
 */
export function headersToMeta(rawHeaders: readonly string[]): Record<string, string> {
  const meta: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (!HEADER_NAME.test(name)) continue;
    const key = "HTTP_" + name.toUpperCase().replace(/-/g, "_");
    if (FORBIDDEN.has(key)) continue;
    const value = rawHeaders[i + 1]!;
    const previous = meta[key];
    meta[key] =
      previous === undefined ? value : previous + (key === "HTTP_COOKIE" ? "; " : ", ") + value;
  }
  return meta;
}
