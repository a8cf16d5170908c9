import { describe, show, type Report } from "./errors.js";

const STATUS = /^([1-5]\d\d) (.*)$/s;
const REASON = /^[\t\x20-\x7e\x80-\xff]*$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[\r\n\0]/;
// RFC 9110 section 7.6.1 and RFC 2616 section 13.5.1: they describe one connection, which
// the gateway owns; an application that sets them corrupts the framing.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailers",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Checks an application's status line: `"NNN Reason"`, a code from 100 to 599, one space
 * and a non-empty reason of printable Latin-1 characters.
 *
 * @example
 * checkStatus("200", report); // status-format: a reason is required, as in "200 OK"
 */
export function checkStatus(status: unknown, report: Report): void {
  const match = typeof status === "string" ? STATUS.exec(status) : null;
  if (!match) {
    report(
      "status-format",
      `status ${describe(status)} must be a string like "200 OK": a code from 100 to 599, a space and a reason`,
    );
    return;
  }
  const reason = match[2]!;
  if (reason.trim() === "" || !REASON.test(reason)) {
    report(
      "status-format",
      `status ${JSON.stringify(status)} needs a reason phrase of printable characters after the code, as in "${match[1]} OK"`,
    );
  }
}

/**
 * Checks an application's response headers, reporting every broken rule, and returns the
 * declared Content-Length, if any.
 *
 * @example
 * checkHeaders([["Connection", "close"]], report); // header-hop-by-hop
 * checkHeaders([["Content-Length", "5"]], report); // 5
 */
export function checkHeaders(headers: unknown, report: Report): number | undefined {
  if (!Array.isArray(headers)) {
    report(
      "headers-type",
      `headers are ${describe(headers)}; pass an array of [name, value] pairs`,
    );
    return undefined;
  }
  let length: number | undefined;
  for (const pair of headers as unknown[]) {
    if (
      !Array.isArray(pair) ||
      pair.length !== 2 ||
      typeof pair[0] !== "string" ||
      typeof pair[1] !== "string"
    ) {
      report("headers-type", `header ${show(pair)} must be a [name, value] pair of strings`);
      continue;
    }
    const [name, value] = pair as [string, string];
    if (!TOKEN.test(name)) {
      report(
        "header-name",
        `header name ${JSON.stringify(name)} must be a token: letters, digits and !#$%&'*+-.^_\`|~`,
      );
    }
    if (BAD_VALUE.test(value)) {
      report(
        "header-value",
        `header ${name}: ${JSON.stringify(value)} holds CR, LF or NUL; remove them (one header per pair)`,
      );
    }
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower)) {
      report(
        "header-hop-by-hop",
        `header ${name} is hop-by-hop; remove it, the server manages the connection and its framing`,
      );
    } else if (lower === "status") {
      report(
        "header-status",
        `a Status header is not allowed; pass the status as start_response's first argument`,
      );
    } else if (lower === "content-length") {
      length = checkContentLength(value, length, report);
    }
  }
  return length;
}

function checkContentLength(
  value: string,
  previous: number | undefined,
  report: Report,
): number | undefined {
  if (!/^\d+$/.test(value)) {
    report(
      "header-content-length",
      `Content-Length ${JSON.stringify(value)} must be decimal digits, the body size in bytes`,
    );
    return previous;
  }
  const length = Number(value);
  if (previous !== undefined && previous !== length) {
    report(
      "header-content-length",
      `Content-Length is given twice (${previous} and ${length}); send it once`,
    );
  }
  return length;
}

/**
 * Checks one body chunk (returned or passed to `write()`) and returns its size in bytes, or
 * `undefined` when it is neither a string nor a Uint8Array.
 *
 * @example
 * checkChunk("héllo", report); // 6
 * checkChunk(42, report); // undefined, after reporting chunk-type
 */
export function checkChunk(chunk: unknown, report: Report): number | undefined {
  if (typeof chunk === "string") return Buffer.byteLength(chunk);
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  report("chunk-type", `a body chunk is ${describe(chunk)}; yield or write strings or Uint8Arrays`);
  return undefined;
}
