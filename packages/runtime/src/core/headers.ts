import type { Headers } from "../types.js";
import { ResponseContractError } from "./errors.js";

const STATUS = /^[1-9]\d\d [^\x00-\x08\x0a-\x1f\x7f]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// CR, LF and NUL split or end a header; anything above U+00FF has no byte in the latin1 that
// HTTP/1.1 and the CGI header block carry (node's http refuses it mid-response).
const BAD_VALUE = /[\r\n\0\u0100-\uffff]/;

/**
 * Checks a status line (`"NNN Reason"`) and the headers of a response, throwing
 * {@link ResponseContractError} for the first broken rule. Returns the declared
 * Content-Length, if any, so the caller can enforce it.
 *
 * @example
 * validateResponseHead("200 OK", [["Content-Type", "text/plain"]]); // undefined
 * validateResponseHead("200 OK", [["Content-Length", "5"]]); // 5
 */
export function validateResponseHead(status: unknown, headers: unknown): number | undefined {
  if (typeof status !== "string" || !STATUS.test(status)) {
    throw new ResponseContractError(
      "ERR_INVALID_STATUS",
      `status ${JSON.stringify(status)} must be a string like "200 OK": three digits, a space and a reason`,
    );
  }
  if (!Array.isArray(headers)) {
    throw new ResponseContractError(
      "ERR_INVALID_HEADERS",
      "headers must be an array of [name, value] pairs",
    );
  }
  let contentLength: number | undefined;
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new ResponseContractError(
        "ERR_INVALID_HEADERS",
        `header ${JSON.stringify(pair)} must be a [name, value] pair`,
      );
    }
    const [name, value] = pair as [unknown, unknown];
    if (typeof name !== "string" || !TOKEN.test(name)) {
      throw new ResponseContractError(
        "ERR_INVALID_HEADER_NAME",
        `header name ${JSON.stringify(name)} must be an HTTP token (letters, digits, !#$%&'*+-.^_\`|~)`,
      );
    }
    if (typeof value !== "string" || BAD_VALUE.test(value)) {
      throw new ResponseContractError(
        "ERR_INVALID_HEADER_VALUE",
        `value of header ${name} must be a string without CR, LF, NUL or characters above U+00FF (encode them, e.g. RFC 8187 filename*=UTF-8''...); got ${JSON.stringify(value)}`,
      );
    }
    if (name.length === 14 && name.toLowerCase() === "content-length") {
      if (!/^\d+$/.test(value.trim())) {
        throw new ResponseContractError(
          "ERR_INVALID_HEADER_VALUE",
          `Content-Length ${JSON.stringify(value)} must be a decimal number of bytes`,
        );
      }
      contentLength = Number(value.trim());
    }
  }
  return contentLength;
}

/**
 * Formats a response head as the text of a CGI header block (latin1 characters: CRLF lines
 * and a blank line), the form that CGI, SCGI and FastCGI front servers parse. A `200 OK`
 * gets no `Status:` line, as CGI defaults to it and php-fpm leaves it out: some front servers
 * (Caddy) would pass the line on to clients as a header. Other statuses, a 200 with its own
 * reason, a 200 with `Location` (which would be a 302 without `Status:`) and one with no
 * headers at all (CGI needs at least one field) keep it first.
 *
 * @example
 * cgiHeadText("404 Not Found", [["Content-Type", "text/plain"]]);
 * // "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\n"
 * cgiHeadText("200 OK", [["Content-Type", "text/plain"]]); // "Content-Type: text/plain\r\n\r\n"
 */
export function cgiHeadText(
  status: string,
  headers: ReadonlyArray<readonly [string, string]>,
): string {
  let head = "";
  let location = false;
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i]!;
    if (pair[0].length === 8 && pair[0].toLowerCase() === "location") location = true;
    head += pair[0] + ": " + pair[1] + "\r\n";
  }
  const implied = status === "200 OK" && !location && headers.length > 0;
  return (implied ? head : "Status: " + status + "\r\n" + head) + "\r\n";
}

/**
 * {@link cgiHeadText} as bytes, for the gateways that write it as it is (CGI, SCGI).
 *
 * @example
 * formatCgiHead("404 Not Found", [["Content-Type", "text/plain"]]).toString();
 * // "Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\n"
 */
export function formatCgiHead(status: string, headers: Headers): Buffer {
  return Buffer.from(cgiHeadText(status, headers), "latin1");
}
