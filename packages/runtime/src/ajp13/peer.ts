import type { Headers } from "../types.js";
import {
  Attribute,
  CODED_HEADER,
  ContainerCode,
  METHOD_STORED,
  METHODS,
  REQUEST_HEADERS,
  RESPONSE_HEADERS,
  SERVER_MAGIC,
  ServerCode,
} from "./constants.js";
import type { AjpForwardRequest } from "./forward-request.js";
import { PacketWriter, PayloadReader } from "./payload.js";

/**
 * The web server's side of AJP13, as mod_proxy_ajp speaks it: encoders for what it sends and
 * a decoder for what it receives. For tests, health checks and tools that talk to an AJP13
 * gateway directly.
 */

const REQUEST_CODES = new Map<string, number>(
  REQUEST_HEADERS.map((name, i) => [name.toLowerCase(), (CODED_HEADER << 8) | (i + 1)]),
);

/**
 * Encodes a FORWARD_REQUEST packet. Attributes are written in a fixed order; a method
 * outside the coded table travels as a stored_method attribute.
 *
 * @example
 * socket.write(encodeForwardRequest({ method: "GET", protocol: "HTTP/1.1", uri: "/app/x",
 *   remoteAddr: "127.0.0.1", serverName: "localhost", serverPort: 80, isSsl: false,
 *   headers: [["Host", "localhost"]], attributes: { requestAttributes: [] } }));
 */
export function encodeForwardRequest(request: AjpForwardRequest): Buffer {
  const methodIndex = (METHODS as readonly string[]).indexOf(request.method);
  const writer = new PacketWriter(SERVER_MAGIC)
    .byte(ServerCode.ForwardRequest)
    .byte(methodIndex < 0 ? METHOD_STORED : methodIndex + 1)
    .string(request.protocol)
    .string(request.uri)
    .string(request.remoteAddr)
    .string(request.remoteHost)
    .string(request.serverName)
    .int(request.serverPort)
    .bool(request.isSsl)
    .int(request.headers.length);
  for (const [name, value] of request.headers) {
    const coded = REQUEST_CODES.get(name.toLowerCase());
    if (coded === undefined) writer.string(name);
    else writer.int(coded);
    writer.string(value);
  }
  const a = request.attributes;
  const strings: Array<[number, string | undefined]> = [
    [Attribute.Context, a.context],
    [Attribute.ServletPath, a.servletPath],
    [Attribute.RemoteUser, a.remoteUser],
    [Attribute.AuthType, a.authType],
    [Attribute.QueryString, a.queryString],
    [Attribute.Route, a.route],
    [Attribute.SslCert, a.sslCert],
    [Attribute.SslCipher, a.sslCipher],
    [Attribute.SslSession, a.sslSession],
    [Attribute.Secret, a.secret],
  ];
  for (const [code, value] of strings) if (value !== undefined) writer.byte(code).string(value);
  for (const [name, value] of a.requestAttributes) {
    writer.byte(Attribute.ReqAttribute).string(name).string(value);
  }
  if (a.sslKeySize !== undefined) writer.byte(Attribute.SslKeySize).int(a.sslKeySize);
  if (methodIndex < 0) writer.byte(Attribute.StoredMethod).string(request.method);
  return writer.byte(Attribute.Terminator).finish();
}

/**
 * Encodes a request body packet; an empty one marks the end of a body of unknown length.
 *
 * @example
 * socket.write(encodeBodyPacket(Buffer.from("a=1&b=2")));
 */
export function encodeBodyPacket(data: Uint8Array): Buffer {
  return new PacketWriter(SERVER_MAGIC).int(data.length).bytes(data).finish();
}

/**
 * Encodes a packet that is only a prefix code, such as CPING (10) or SHUTDOWN (7).
 *
 * @example
 * socket.write(encodeServerCode(10)); // CPING
 */
export function encodeServerCode(code: number): Buffer {
  return new PacketWriter(SERVER_MAGIC).byte(code).finish();
}

/** A packet from the gateway, decoded. */
export type ContainerPacket =
  | { type: "headers"; status: number; reason: string; headers: Headers }
  | { type: "body"; data: Buffer }
  | { type: "end"; reuse: boolean }
  | { type: "get-body"; size: number }
  | { type: "cpong" };

/**
 * Decodes the payload of one packet from the gateway ("AB" framing already removed).
 *
 * @example
 * const packet = decodeContainerPacket(payload);
 * if (packet.type === "headers") console.log(packet.status);
 */
export function decodeContainerPacket(payload: Buffer): ContainerPacket {
  const reader: PayloadReader = new PayloadReader(payload);
  const code = reader.byte();
  switch (code) {
    case ContainerCode.SendHeaders: {
      const status = reader.int();
      const reason = reader.string() ?? "";
      const headers: Headers = [];
      for (let n = reader.int(); n > 0; n--) {
        const name =
          reader.peekInt() >> 8 === CODED_HEADER
            ? (RESPONSE_HEADERS[(reader.int() & 0xff) - 1] ?? "")
            : (reader.string() ?? "");
        headers.push([name, reader.string() ?? ""]);
      }
      return { type: "headers", status, reason, headers };
    }
    case ContainerCode.SendBodyChunk:
      return { type: "body", data: Buffer.from(reader.bytes(reader.int())) };
    case ContainerCode.EndResponse:
      return { type: "end", reuse: reader.bool() };
    case ContainerCode.GetBodyChunk:
      return { type: "get-body", size: reader.int() };
    case ContainerCode.CPong:
      return { type: "cpong" };
    default:
      return reader.fail("ERR_AJP_UNEXPECTED_PACKET", `unknown packet code ${code}`, 0);
  }
}
