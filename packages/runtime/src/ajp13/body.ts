import { DEFAULT_PACKET_SIZE, HEADER_SIZE } from "./constants.js";
import { PayloadReader } from "./payload.js";

/**
 * Decodes a request body packet from the web server: a 16-bit length, then the bytes. An
 * empty payload or a zero length marks the end of the body.
 *
 * @example
 * const chunk = decodeBodyPacket(payload);
 * if (chunk.length === 0) finishBody(); else collector.push(chunk);
 */
export function decodeBodyPacket(payload: Buffer): Buffer {
  if (payload.length === 0) return payload;
  const reader: PayloadReader = new PayloadReader(payload);
  const length = reader.int();
  if (length > reader.remaining) {
    reader.fail(
      "ERR_AJP_TRUNCATED_PACKET",
      `a body chunk of ${length} bytes runs past its packet of ${payload.length}; a web server ` +
        "that sends body packets without their 2-byte chunk length (lighttpd's mod_ajp13) " +
        "cannot forward request bodies over AJP13: use FastCGI for it",
      0,
    );
  }
  return reader.bytes(length);
}

/**
 * The most body bytes one packet of `packetSize` carries from the web server: what a
 * GET_BODY_CHUNK may ask for.
 *
 * @example
 * maxBodyChunk(8192); // 8186
 */
export function maxBodyChunk(packetSize = DEFAULT_PACKET_SIZE): number {
  return packetSize - HEADER_SIZE - 2;
}
