/**
 * Errors of the SCGI gateway, one class per failure, each with a stable `code`.
 */
import { ProtocolError } from "../core/protocol-error.js";

// What a protocol error asks the operator to check: most are a front server pointed at the
// wrong port or speaking another protocol.
const CHECK_FRONT =
  "Check that the front server speaks SCGI to this port (nginx scgi_pass, lighttpd " +
  'mod_scgi, Apache "ProxyPass ... scgi://").';

/**
 * The bytes a front server sent are not a valid SCGI request. `bytes` holds the offending
 * bytes and `offset` where they start in the connection's stream.
 *
 * @example
 * try { parser.execute(chunk); } catch (e) {
 *   if (e instanceof ScgiProtocolError) log(`${e.code} at ${e.offset}: ${e.message}`);
 * }
 */
export class ScgiProtocolError extends ProtocolError {
  constructor(code: string, problem: string, bytes: Buffer, offset: number) {
    super(code, problem, bytes, offset, CHECK_FRONT);
    this.name = "ScgiProtocolError";
  }
}

/**
 * The SCGI header block announces more bytes than the configured bound.
 *
 * @example
 * new ScgiHeadersTooLargeError(70000, 65536).code; // "ERR_SCGI_HEADERS_TOO_LARGE"
 */
export class ScgiHeadersTooLargeError extends Error {
  readonly code = "ERR_SCGI_HEADERS_TOO_LARGE";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `SCGI header block of at least ${size} bytes exceeds the ${limit}-byte limit; ` +
        "raise maxHeaderSize, or shrink the request headers the front server forwards",
    );
    this.name = "ScgiHeadersTooLargeError";
  }
}

/**
 * The connection ended before a whole request (headers and CONTENT_LENGTH bytes of body)
 * arrived.
 *
 * @example
 * new ScgiTruncatedError("body", 10, 4).code; // "ERR_SCGI_TRUNCATED"
 */
export class ScgiTruncatedError extends Error {
  readonly code = "ERR_SCGI_TRUNCATED";
  constructor(
    readonly part: string,
    readonly expected: number,
    readonly received: number,
  ) {
    super(
      `connection closed in the SCGI ${part} after ${received} of ${expected} bytes; ` +
        "the front server or client went away mid-request (check its timeouts)",
    );
    this.name = "ScgiTruncatedError";
  }
}
