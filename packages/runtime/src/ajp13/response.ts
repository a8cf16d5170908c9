import type { Headers } from "../types.js";
import {
  CODED_HEADER,
  CONTAINER_MAGIC,
  ContainerCode,
  DEFAULT_PACKET_SIZE,
  HEADER_SIZE,
  RESPONSE_HEADERS,
} from "./constants.js";
import { AjpPacketTooLargeError } from "./errors.js";
import { PacketWriter } from "./payload.js";

const RESPONSE_CODES = new Map<string, number>(
  RESPONSE_HEADERS.map((name, i) => [name.toLowerCase(), (CODED_HEADER << 8) | (i + 1)]),
);

/** SEND_BODY_CHUNK spends 4 bytes on the chunk's code, length and trailing NUL. */
const BODY_CHUNK_OVERHEAD = HEADER_SIZE + 4;

/**
 * Encodes SEND_HEADERS: the status code and reason, then headers with the well-known names
 * sent as their 0xA0nn codes, as mod_proxy_ajp expects.
 *
 * @example
 * socket.write(encodeSendHeaders("404 Not Found", [["Content-Type", "text/plain"]]));
 */
export function encodeSendHeaders(
  status: string,
  headers: Headers,
  packetSize = DEFAULT_PACKET_SIZE,
): Buffer {
  const space = status.indexOf(" ");
  const code = Number.parseInt(space < 0 ? status : status.slice(0, space), 10);
  const reason = space < 0 ? "" : status.slice(space + 1);
  const writer = new PacketWriter(CONTAINER_MAGIC)
    .byte(ContainerCode.SendHeaders)
    .int(code)
    .string(reason)
    .int(headers.length);
  for (const [name, value] of headers) {
    const coded = RESPONSE_CODES.get(name.toLowerCase());
    if (coded === undefined) writer.string(name);
    else writer.int(coded);
    writer.string(value);
  }
  if (writer.length + HEADER_SIZE > packetSize) {
    throw new AjpPacketTooLargeError(writer.length + HEADER_SIZE, packetSize);
  }
  return writer.finish();
}

/**
 * Encodes body bytes as SEND_BODY_CHUNK packets, each within the packet size, into one
 * buffer so a single socket write sends them all.
 *
 * @example
 * socket.write(encodeBodyChunks(Buffer.from("hello"))); // one packet
 * encodeBodyChunks(Buffer.alloc(20000)).length;          // 3 packets of at most 8192 bytes
 */
export function encodeBodyChunks(data: Uint8Array, packetSize = DEFAULT_PACKET_SIZE): Buffer {
  const room = packetSize - BODY_CHUNK_OVERHEAD;
  const packets: Buffer[] = [];
  for (let at = 0; at < data.length; at += room) {
    const piece = data.subarray(at, Math.min(at + room, data.length));
    packets.push(
      new PacketWriter(CONTAINER_MAGIC)
        .byte(ContainerCode.SendBodyChunk)
        .int(piece.length)
        .bytes(piece)
        .byte(0)
        .finish(),
    );
  }
  return packets.length === 1 ? packets[0]! : Buffer.concat(packets);
}

/**
 * An empty SEND_BODY_CHUNK (payload `03 00 00 00`): what AJP containers (Tomcat, Jetty) send
 * when the application flushes. mod_jk and mod_proxy_ajp pass what they hold on to the
 * client only on this packet or END_RESPONSE, so without it a streamed response arrives at
 * once at its end.
 *
 * @example
 * socket.write(Buffer.concat([encodeBodyChunks(chunk), FLUSH]));
 */
export const FLUSH: Buffer = new PacketWriter(CONTAINER_MAGIC)
  .byte(ContainerCode.SendBodyChunk)
  .int(0)
  .byte(0)
  .finish();

/**
 * Encodes END_RESPONSE; `reuse` tells the web server whether the connection may carry
 * another request.
 *
 * @example
 * socket.write(encodeEndResponse(true));
 */
export function encodeEndResponse(reuse: boolean): Buffer {
  return new PacketWriter(CONTAINER_MAGIC).byte(ContainerCode.EndResponse).bool(reuse).finish();
}

/**
 * Encodes GET_BODY_CHUNK, asking the web server for up to `size` more body bytes.
 *
 * @example
 * socket.write(encodeGetBodyChunk(8186));
 */
export function encodeGetBodyChunk(size: number): Buffer {
  return new PacketWriter(CONTAINER_MAGIC).byte(ContainerCode.GetBodyChunk).int(size).finish();
}

/**
 * The CPONG reply to a CPING health check.
 *
 * @example
 * if (payload[0] === 10) socket.write(CPONG);
 */
export const CPONG: Buffer = new PacketWriter(CONTAINER_MAGIC).byte(ContainerCode.CPong).finish();
