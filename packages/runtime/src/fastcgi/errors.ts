/**
 * Errors of the FastCGI gateway, one class per failure, each with a stable `code`.
 */

/**
 * The peer sent bytes that are not valid FastCGI: a wrong version, a malformed name-value
 * pair, a record for a request that does not exist, or more than the configured bounds.
 * The connection that sent them is closed; the server keeps serving everyone else.
 *
 * @example
 * try { parser.execute(chunk); } catch (e) {
 *   if (e instanceof FastCgiProtocolError) log(`${e.code}: ${e.message} near ${e.bytes.toString("hex")}`);
 * }
 */
export class FastCgiProtocolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Up to 32 of the offending bytes, for the log line. */
    readonly bytes: Buffer = Buffer.alloc(0),
  ) {
    super(bytes.length > 0 ? `${message} (bytes: ${bytes.toString("hex")})` : message);
    this.name = "FastCgiProtocolError";
  }
}

/**
 * Copies at most 32 bytes so an error never pins a large socket chunk in memory.
 *
 * @example
 * new FastCgiProtocolError("ERR_FCGI_VERSION", "bad version", excerpt(chunk, at));
 */
export function excerpt(bytes: Uint8Array, start = 0): Buffer {
  return Buffer.from(bytes.subarray(start, start + 32));
}
