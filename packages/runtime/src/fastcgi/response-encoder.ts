import { HEADER_LENGTH, MAX_CONTENT_LENGTH, RecordType } from "./constants.js";
import {
  END_REQUEST_LENGTH,
  streamSize,
  writeEndRequest,
  writeHeader,
  writeStream,
} from "./record-encoder.js";

/**
 * How a request ends: END_REQUEST's two status fields.
 *
 * @example
 * const end: RequestEnd = { appStatus: 0, protocolStatus: ProtocolStatus.RequestComplete };
 */
export interface RequestEnd {
  appStatus: number;
  protocolStatus: number;
}

/**
 * Encodes one write of a response as a single buffer, so it costs one socket write: the
 * head (if not sent yet), body pieces as STDOUT records and, when `end` is given, the empty
 * STDOUT record that closes the stream (unless `closeStdout` is false) and END_REQUEST.
 *
 * @example
 * const wire = encodeResponse(1, cgiHeadText("200 OK", []), [Buffer.from("hi")], {
 *   appStatus: 0, protocolStatus: ProtocolStatus.RequestComplete });
 * socket.write(wire);
 */
export function encodeResponse(
  requestId: number,
  head: string | undefined,
  body: readonly Uint8Array[],
  end?: RequestEnd,
  closeStdout = true,
): Buffer {
  const headLength = head === undefined ? 0 : head.length;
  let size = streamSize(headLength);
  for (let i = 0; i < body.length; i++) size += streamSize(body[i]!.length);
  if (end) size += (closeStdout ? HEADER_LENGTH : 0) + END_REQUEST_LENGTH;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  if (head !== undefined && headLength > 0) {
    if (headLength <= MAX_CONTENT_LENGTH) {
      writeHeader(out, at, RecordType.Stdout, requestId, headLength);
      out.write(head, at + HEADER_LENGTH, "latin1");
      at += HEADER_LENGTH + headLength;
    } else {
      at = writeStream(out, at, RecordType.Stdout, requestId, Buffer.from(head, "latin1"));
    }
  }
  for (let i = 0; i < body.length; i++) {
    at = writeStream(out, at, RecordType.Stdout, requestId, body[i]!);
  }
  if (end) {
    if (closeStdout) {
      writeHeader(out, at, RecordType.Stdout, requestId, 0);
      at += HEADER_LENGTH;
    }
    writeEndRequest(out, at, requestId, end.appStatus, end.protocolStatus);
  }
  return out;
}
