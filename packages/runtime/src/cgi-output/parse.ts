import { CgiHeaderParser, type CgiParseOptions, type CgiResponse } from "./header-parser.js";

/**
 * Parses the complete output of a CGI script into status, headers and body, as a CGI server
 * does (RFC 3875 section 6). Throws {@link CgiOutputError} when a server would answer 502.
 *
 * @example
 * const { status, headers, body } = parseCgiResponse(
 *   Buffer.from("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such page\n"),
 * );
 * // status "404 Not Found", headers [["Content-Type", "text/plain"]], body "no such page\n"
 */
export function parseCgiResponse(output: Uint8Array, options?: CgiParseOptions): CgiResponse {
  const parser = new CgiHeaderParser(options);
  const head = parser.execute(output);
  if (head) return head;
  throw parser.endError();
}
