import {
  HEADER_LENGTH,
  MANAGEMENT_REQUEST_ID,
  MAX_CONTENT_LENGTH,
  RecordType,
  VERSION_1,
} from "./constants.js";

/**
 * Writes a record header into `target` at `offset` (no padding: FastCGI allows records of
 * any length, and front servers accept them unaligned).
 *
 * @example
 * const out = Buffer.allocUnsafe(8 + 5);
 * writeHeader(out, 0, RecordType.Stdout, 1, 5);
 * out.write("hello", 8, "latin1");
 */
export function writeHeader(
  target: Uint8Array,
  offset: number,
  type: number,
  requestId: number,
  contentLength: number,
  paddingLength = 0,
): void {
  target[offset] = VERSION_1;
  target[offset + 1] = type;
  target[offset + 2] = requestId >> 8;
  target[offset + 3] = requestId & 0xff;
  target[offset + 4] = contentLength >> 8;
  target[offset + 5] = contentLength & 0xff;
  target[offset + 6] = paddingLength;
  target[offset + 7] = 0;
}

/**
 * Bytes needed to send `length` bytes of a stream (STDOUT, STDERR, ...) as records, which
 * carry at most 65535 bytes each.
 *
 * @example
 * streamSize(70000); // 70016: two records
 */
export function streamSize(length: number): number {
  return length + HEADER_LENGTH * Math.ceil(length / MAX_CONTENT_LENGTH);
}

/**
 * Writes `data` as stream records into `target` at `offset`, and returns the offset after
 * them. Empty data writes nothing (an empty record would end the stream).
 *
 * @example
 * const data = Buffer.from("hi");
 * const out = Buffer.allocUnsafe(streamSize(data.length));
 * writeStream(out, 0, RecordType.Stdout, 1, data);
 */
export function writeStream(
  target: Buffer,
  offset: number,
  type: number,
  requestId: number,
  data: Uint8Array,
): number {
  for (let at = 0; at < data.length;) {
    const n = Math.min(MAX_CONTENT_LENGTH, data.length - at);
    writeHeader(target, offset, type, requestId, n);
    target.set(data.subarray(at, at + n), offset + HEADER_LENGTH);
    offset += HEADER_LENGTH + n;
    at += n;
  }
  return offset;
}

/**
 * One record with the given content (at most 65535 bytes), padded to a multiple of 8 when
 * `align` is set, as the specification recommends for the peer's convenience.
 *
 * @example
 * encodeRecord(RecordType.Stdin, 1); // the empty STDIN record that ends a request body
 */
export function encodeRecord(
  type: number,
  requestId: number,
  content: Uint8Array = new Uint8Array(0),
  align = false,
): Buffer {
  if (content.length > MAX_CONTENT_LENGTH) {
    throw new RangeError(
      `record content of ${content.length} bytes exceeds 65535; split it with writeStream`,
    );
  }
  const padding = align ? (8 - (content.length % 8)) % 8 : 0;
  const out = Buffer.alloc(HEADER_LENGTH + content.length + padding);
  writeHeader(out, 0, type, requestId, content.length, padding);
  out.set(content, HEADER_LENGTH);
  return out;
}

/**
 * Bytes of an END_REQUEST record.
 *
 * @example
 * const out = Buffer.allocUnsafe(END_REQUEST_LENGTH);
 */
export const END_REQUEST_LENGTH = 16;

/**
 * Writes an END_REQUEST record (16 bytes) into `target` at `offset`.
 *
 * @example
 * const out = Buffer.allocUnsafe(END_REQUEST_LENGTH);
 * writeEndRequest(out, 0, 1, 0, ProtocolStatus.RequestComplete);
 */
export function writeEndRequest(
  target: Buffer,
  offset: number,
  requestId: number,
  appStatus: number,
  protocolStatus: number,
): void {
  writeHeader(target, offset, RecordType.EndRequest, requestId, 8);
  target.writeUInt32BE(appStatus >>> 0, offset + 8);
  target[offset + 12] = protocolStatus;
  target[offset + 13] = 0;
  target[offset + 14] = 0;
  target[offset + 15] = 0;
}

/**
 * The UNKNOWN_TYPE management record answering a record type this server does not know.
 *
 * @example
 * socket.write(encodeUnknownType(42));
 */
export function encodeUnknownType(type: number): Buffer {
  const content = Buffer.alloc(8);
  content[0] = type;
  return encodeRecord(RecordType.UnknownType, MANAGEMENT_REQUEST_ID, content);
}
