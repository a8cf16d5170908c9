import { STATUS_CODES } from "node:http";
import { CgiOutputError } from "./errors.js";

// RFC 9110 token characters: a header name with anything else (a space, a slash) is not a
// header, and both nginx and Apache refuse the response.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Control characters other than HTAB would let a value smuggle a header or confuse the peer.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const STATUS_VALUE = /^([0-9]{3})(?:[ \t]+(.*))?$/;
const STATUS_LINE = /^HTTP\/[0-9]\.[0-9][ \t]+(.*)$/;

const shown = (line: string): string =>
  JSON.stringify(line.length > 80 ? line.slice(0, 80) + "…" : line);

/**
 * Splits one header line (latin1-decoded, line ending removed) into name and value, with the
 * value's surrounding whitespace trimmed as front servers do.
 */
export function parseHeaderLine(line: string, lineNumber: number): [string, string] {
  const colon = line.indexOf(":");
  const name = colon < 0 ? line : line.slice(0, colon);
  if (colon < 0 || !TOKEN.test(name)) {
    const hint =
      line.startsWith(" ") || line.startsWith("\t")
        ? "folded header lines are not allowed; put the value on one line"
        : 'print the header block ("Content-Type: text/html", then a blank line) before any body';
    throw new CgiOutputError(
      "malformed-header",
      `CGI output line ${lineNumber} ${shown(line)} is not a "Name: value" header; ${hint}`,
      Buffer.from(line, "latin1"),
    );
  }
  const value = line.slice(colon + 1).trim();
  if (CONTROL.test(value)) {
    throw new CgiOutputError(
      "malformed-header",
      `CGI output header ${JSON.stringify(name)} on line ${lineNumber} holds a control character (CR, NUL, ...); remove it from the value`,
      Buffer.from(line, "latin1"),
    );
  }
  return [name, value];
}

/** `"NNN Reason"` with the standard reason phrase filled in when the script gave none. */
function withReason(code: string, reason: string | undefined, source: string): string {
  if (Number(code) < 100) {
    throw new CgiOutputError(
      "invalid-status",
      `CGI status ${shown(source)} is below 100; send a status such as "Status: 404 Not Found"`,
      Buffer.from(source, "latin1"),
    );
  }
  const phrase = reason?.trim() || STATUS_CODES[code] || "Unknown";
  return `${code} ${phrase}`;
}

/** The value of a `Status:` header as a WSGI status string. */
export function parseStatusValue(value: string): string {
  const match = STATUS_VALUE.exec(value);
  if (!match) {
    throw new CgiOutputError(
      "invalid-status",
      `CGI "Status: ${value}" is not a three-digit code and reason; send e.g. "Status: 404 Not Found"`,
      Buffer.from(value, "latin1"),
    );
  }
  return withReason(match[1]!, match[2], value);
}

/** The first line of an nph- script (`HTTP/1.1 200 OK`) as a WSGI status string. */
export function parseStatusLine(line: string): string {
  const match = STATUS_LINE.exec(line.trim());
  const status = match ? STATUS_VALUE.exec(match[1]!.trim()) : null;
  if (!status) {
    throw new CgiOutputError(
      "invalid-status",
      `nph- script output must start with a status line such as "HTTP/1.1 200 OK", got ${shown(line)}`,
      Buffer.from(line, "latin1"),
    );
  }
  return withReason(status[1]!, status[2], line);
}
