/**
 * Errors of the AJP13 gateway, one class per failure, each with a stable `code`.
 */
import { ProtocolError } from "../core/protocol-error.js";

// What a protocol error asks the operator to check: most are a front server pointed at the
// wrong port or speaking another protocol.
const CHECK_FRONT =
  'Check that the front server speaks AJP13 to this port (Apache "ProxyPass ... ajp://") ' +
  "with the same packet size.";

/**
 * The web server sent bytes that are not valid AJP13. `bytes` holds the offending bytes and
 * `offset` where they start (in the packet payload, or in the stream for framing errors).
 *
 * @example
 * try { decodeForwardRequest(payload); } catch (e) {
 *   if (e instanceof AjpProtocolError) log(`${e.code}: ${e.message}`);
 * }
 */
export class AjpProtocolError extends ProtocolError {
  constructor(code: string, problem: string, bytes: Buffer, offset: number) {
    super(code, problem, bytes, offset, CHECK_FRONT);
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
