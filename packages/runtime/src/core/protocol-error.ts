import { showBytes } from "./show-bytes.js";

/**
 * The shared shape of the socket gateways' protocol errors (SCGI, AJP13): the front server
 * sent bytes the protocol does not allow. `bytes` holds the offending bytes and `offset`
 * where they start; the message shows them, then what to check on the front server, which
 * each subclass words for its own protocol. Catch the subclass, not this base.
 *
 * @example
 * class XProtocolError extends ProtocolError {
 *   constructor(code: string, problem: string, bytes: Buffer, offset: number) {
 *     super(code, problem, bytes, offset, "Check that the front server speaks X to this port.");
 *     this.name = "XProtocolError";
 *   }
 * }
 */
export abstract class ProtocolError extends Error {
  constructor(
    readonly code: string,
    problem: string,
    readonly bytes: Buffer,
    readonly offset: number,
    check: string,
  ) {
    super(`${problem}; got ${showBytes(bytes)} at byte ${offset}. ${check}`);
  }
}
