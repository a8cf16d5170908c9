import type { Headers } from "@cgi2wsgi/runtime";

/**
 * One request of a fixture's `requests.json`: everything is optional (the default is a GET
 * of the script itself). `path` is the PATH_INFO after the script; `body` is text, or bytes
 * as `{ "base64": "..." }`.
 *
 * @example
 * const post: CaseRequest = {
 *   method: "POST",
 *   headers: { "Content-Type": "application/x-www-form-urlencoded" },
 *   body: "name=Ada",
 * };
 */
export interface CaseRequest {
  /** A label for reports; defaults to `METHOD path?query`. */
  name?: string;
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string | { base64: string };
}

/**
 * A response as the client of a CGI server, or of the runtime, received it.
 *
 * @example
 * const res: CaseResponse = { status: "302 Found", headers: [["Location", "/x"]], body: Buffer.alloc(0), origin: "script" };
 */
export interface CaseResponse {
  /** `"NNN Reason"`. */
  status: string;
  headers: Headers;
  body: Buffer;
  /**
   * `script` when the script or application produced the answer, `gateway` when the server
   * answered for it (a crash, unparsable CGI output, a timeout): gateway pages differ
   * between servers, so only their status is compared.
   */
  origin: "script" | "gateway";
  /** What went to stderr / `wsgi.errors`. */
  errors: string;
  /** Why the gateway answered, when `origin` is `gateway`. */
  reason?: string;
}

/** Where a script or module is mounted: its SCRIPT_NAME. */
export interface MountOptions {
  /** SCRIPT_NAME of the script; defaults to `/cgi-bin/<file name>`. */
  scriptName?: string;
}
