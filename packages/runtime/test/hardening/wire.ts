import { once } from "node:events";
import { connect } from "node:net";
import { ajp13 } from "../../src/ajp13/protocol.js";
import {
  decodeContainerPacket,
  encodeBodyPacket,
  encodeForwardRequest,
  type ContainerPacket,
} from "../../src/ajp13/peer.js";
import { RecordType } from "../../src/fastcgi/constants.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { RecordParser } from "../../src/fastcgi/record-parser.js";
import { httpProtocol } from "../../src/http/protocol.js";
import { encodeScgiRequest } from "../../src/scgi/encode.js";
import { scgi } from "../../src/scgi/protocol.js";
import type { Protocol } from "../../src/server/types.js";
import { forwardRequest } from "../ajp13/client.js";
import { FcgiClient } from "../fastcgi/client.js";
import { listenPort } from "../support/net-wait.js";

/** One protocol as raw bytes: a request split into its header and body, and a reply's status. */
export interface Wire {
  name: string;
  protocol: () => Protocol;
  /** The bytes of a POST to `path` with `body`, split where the header ends. */
  request(path: string, body: string): { head: Buffer; body: Buffer };
  /** The HTTP status in what the gateway wrote, if a response head is in it. */
  status(reply: Buffer): number | undefined;
  /** Whether a header that arrives too late gets an answer (else the connection closes). */
  answersLateHeader: boolean;
  /**
   * Whether the gateway learns at once that the client closed while the application hangs.
   * SCGI cannot: its clients may half-close once the request is sent, so an end of stream
   * is no sign of a client gone; there only the request timeout frees the slot.
   */
  seesGiveUp: boolean;
  /** True once `reply` holds a whole response (protocols that keep the connection open). */
  complete?(reply: Buffer): boolean;
}

export const WIRES: Wire[] = [
  {
    name: "http",
    protocol: () => httpProtocol(),
    request(path, body) {
      const head = `POST ${path} HTTP/1.1\r\nHost: example.org\r\nConnection: close\r\nX-Padding: ${"p".repeat(40)}\r\nContent-Length: ${body.length}\r\n\r\n`;
      return { head: Buffer.from(head), body: Buffer.from(body) };
    },
    status: (reply) => numberOf(/^HTTP\/1\.1 (\d{3})/.exec(reply.toString("latin1"))),
    answersLateHeader: true,
    seesGiveUp: true,
  },
  {
    name: "fastcgi",
    protocol: () => fastcgi(),
    request(path, body) {
      const params = {
        REQUEST_METHOD: "POST",
        PATH_INFO: path,
        CONTENT_LENGTH: String(body.length),
      };
      const head = FcgiClient.requestBytes(1, params).subarray(0, -8);
      const whole = FcgiClient.requestBytes(1, params, Buffer.from(body));
      return { head, body: whole.subarray(head.length) };
    },
    status(reply) {
      let stdout = "";
      new RecordParser((type, _id, content) => {
        if (type === RecordType.Stdout) stdout += content.toString("latin1");
      }).execute(reply);
      return cgiStatus(stdout);
    },
    answersLateHeader: true,
    seesGiveUp: true,
  },
  {
    name: "scgi",
    protocol: () => scgi(),
    request(path, body) {
      const whole = encodeScgiRequest(
        { REQUEST_METHOD: "POST", PATH_INFO: path, REQUEST_URI: path, X_PADDING: "p".repeat(40) },
        body,
      );
      return {
        head: whole.subarray(0, whole.length - body.length),
        body: whole.subarray(whole.length - body.length),
      };
    },
    status: (reply) => cgiStatus(reply.toString("latin1")),
    answersLateHeader: true,
    seesGiveUp: false,
  },
  {
    name: "ajp13",
    protocol: () => ajp13(),
    request(path, body) {
      const headers: Array<[string, string]> = [["Host", "localhost"]];
      // No body announced, none sent: an empty body packet would be out of turn.
      if (body) headers.push(["Content-Length", String(body.length)]);
      const head = encodeForwardRequest(forwardRequest({ method: "POST", uri: path, headers }));
      return { head, body: body ? encodeBodyPacket(Buffer.from(body)) : Buffer.alloc(0) };
    },
    status(reply) {
      const head = ajpPackets(reply).find((packet) => packet.type === "headers");
      return head?.type === "headers" ? head.status : undefined;
    },
    complete: (reply) => ajpPackets(reply).some((packet) => packet.type === "end"),
    answersLateHeader: false,
    seesGiveUp: true,
  },
];

function ajpPackets(reply: Buffer): ContainerPacket[] {
  const packets: ContainerPacket[] = [];
  for (let at = 0; at + 4 <= reply.length;) {
    const length = reply.readUInt16BE(at + 2);
    if (at + 4 + length > reply.length) break;
    packets.push(decodeContainerPacket(Buffer.from(reply.subarray(at + 4, at + 4 + length))));
    at += 4 + length;
  }
  return packets;
}

/** The status of a CGI-style reply: its Status line, or 200 for a whole head without one. */
function cgiStatus(text: string): number | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  return numberOf(/^Status: (\d{3})/im.exec(text.slice(0, end))) ?? 200;
}

function numberOf(match: RegExpExecArray | null): number | undefined {
  return match ? Number(match[1]) : undefined;
}

/** What came back on one raw connection, and when (milliseconds after connecting). */
export interface Exchange {
  reply: Buffer;
  /** When the first reply byte arrived, or the connection closed without one. */
  answeredAt: number;
  closedAt: number;
}

/**
 * Connects, sends `whole` at once, then `trickled` one byte every `gapMs` (a slowloris
 * client) until the gateway answers, and waits until it closes (or, for `wire.complete`,
 * has sent a whole response); reports what came back and when. `hold` keeps the
 * connection open until it resolves, and then closes it (a client that gives up).
 *
 * @example
 * const { reply, answeredAt } = await trickle(wire, server.address, head, Buffer.alloc(0));
 */
export async function trickle(
  wire: Wire,
  address: string,
  whole: Buffer,
  trickled: Buffer = Buffer.alloc(0),
  options: { gapMs?: number; hold?: Promise<unknown> } = {},
): Promise<Exchange> {
  const socket = connect(listenPort(address), "127.0.0.1");
  socket.on("error", () => {});
  await once(socket, "connect");
  const started = Date.now();
  const chunks: Buffer[] = [];
  let answeredAt: number | undefined;
  let complete!: () => void;
  const done = new Promise<void>((resolve) => (complete = resolve));
  socket.on("data", (chunk: Buffer) => {
    answeredAt ??= Date.now() - started;
    chunks.push(chunk);
    if (wire.complete?.(Buffer.concat(chunks))) complete();
  });
  socket.once("close", () => complete());
  void options.hold?.then(() => socket.destroy());
  socket.write(whole);
  let at = 0;
  const timer = setInterval(() => {
    if (answeredAt !== undefined || socket.destroyed || at >= trickled.length) return;
    socket.write(trickled.subarray(at, ++at));
  }, options.gapMs ?? 40);
  await done;
  clearInterval(timer);
  socket.destroy();
  const closedAt = Date.now() - started;
  return { reply: Buffer.concat(chunks), answeredAt: answeredAt ?? closedAt, closedAt };
}
