/**
 * Errors of the AJP13 gateway, one class per failure, each with a stable `code`.
 */
import { showBytes } from "../core/show-bytes.js";

/**
 * The web server sent bytes that are not valid AJP13. `bytes` holds the offending bytes and
 * `offset` where they start (in the packet payload, or in the stream for framing errors).
 *
 * @example
 * try { decodeForwardRequest(payload); } catch (e) {
 *   if (e instanceof AjpProtocolError) log(`${e.code}: ${e.message}`);
 * }
 */
export class AjpProtocolError extends Error {
  constructor(
    readonly code: string,
    problem: string,
    readonly bytes: Buffer,
    readonly offset: number,
  ) {
    super(
      `${problem}; got ${showBytes(bytes)} at byte ${offset}. Check that the front server ` +
        'speaks AJP13 to this port (Apache "ProxyPass ... ajp://") with the same packet size.',
    );
    this.name = "AjpProtocolError";
  }
}

/**
 * A packet announces more bytes than the configured packet size.
 *
 * @example
 * new AjpPacketTooLargeError(9000, 8192).code; // "ERR_AJP_PACKET_TOO_LARGE"
 */
export class AjpPacketTooLargeError extends Error {
  readonly code = "ERR_AJP_PACKET_TOO_LARGE";
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(
      `AJP13 packet of ${size} bytes exceeds the ${limit}-byte packet size; set packetSize to ` +
        "the front server's (Apache ProxyIOBufferSize)",
    );
    this.name = "AjpPacketTooLargeError";
  }
}
