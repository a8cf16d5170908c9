import { once } from "node:events";
import { connect, type Socket } from "node:net";
import type { AjpForwardRequest } from "../../src/ajp13/forward-request.js";
import {
  decodeContainerPacket,
  encodeBodyPacket,
  encodeForwardRequest,
  encodeServerCode,
  type ContainerPacket,
} from "../../src/ajp13/peer.js";
import type { Headers } from "../../src/types.js";

/** What the gateway answered to one request. */
export interface AjpReply {
  status: number;
  reason: string;
  headers: Headers;
  body: Buffer;
  reuse: boolean;
  /** Every packet, in order, for assertions on framing. */
  packets: ContainerPacket[];
  /** Sizes of the body packets sent to the gateway (the first unasked). */
  sent: number[];
}

/** A request as the test gives it: FORWARD_REQUEST fields over sensible defaults. */
export type TestAjpRequest = Partial<AjpForwardRequest> & {
  body?: Buffer;
  chunked?: boolean;
  /** Follow FORWARD_REQUEST with an empty body packet, as lighttpd's mod_ajp13 does. */
  emptyBodyPacket?: boolean;
};

/** A body packet with no payload at all: what lighttpd sends when a request has no body. */
const EMPTY_BODY_PACKET = Buffer.from([0x12, 0x34, 0, 0]);

/** FORWARD_REQUEST `fields` over the defaults: a GET of `/` from 127.0.0.1 to localhost:80. */
export function forwardRequest(fields: Partial<AjpForwardRequest>): AjpForwardRequest {
  return {
    method: "GET",
    protocol: "HTTP/1.1",
    uri: "/",
    remoteAddr: "127.0.0.1",
    serverName: "localhost",
    serverPort: 80,
    isSsl: false,
    headers: [["Host", "localhost"]],
    attributes: { requestAttributes: [["AJP_REMOTE_PORT", "40000"]] },
    ...fields,
  };
}

/**
 * An AJP13 peer behaving as Apache mod_proxy_ajp does, over one persistent connection: it
 * sends the first chunk of a body of known length unasked and the rest on GET_BODY_CHUNK,
 * a chunked body only when asked and ended by an empty packet.
 *
 * @example
 * const client = await AjpTestClient.connect(port);
 * const reply = await client.request({ uri: "/hello" });
 */
export class AjpTestClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  private ended = false;

  private constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on("close", () => {
      this.ended = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static async connect(port: number): Promise<AjpTestClient> {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    return new AjpTestClient(socket);
  }

  get closed(): boolean {
    return this.ended && this.buffer.length === 0;
  }

  /** The next packet from the gateway, or undefined once the connection is closed. */
  async next(): Promise<ContainerPacket | undefined> {
    for (;;) {
      if (this.buffer.length >= 4) {
        const length = this.buffer.readUInt16BE(2);
        if (this.buffer.readUInt16BE(0) !== 0x4142) throw new Error("bad magic from gateway");
        if (this.buffer.length >= 4 + length) {
          const payload = this.buffer.subarray(4, 4 + length);
          this.buffer = this.buffer.subarray(4 + length);
          return decodeContainerPacket(Buffer.from(payload));
        }
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async request(request: TestAjpRequest = {}, packetSize = 8192): Promise<AjpReply> {
    const { body, chunked, emptyBodyPacket, ...fields } = request;
    const headers: Headers = [...(fields.headers ?? [["Host", "localhost"]])];
    if (body && !chunked) headers.push(["Content-Length", String(body.length)]);
    if (chunked) headers.push(["Transfer-Encoding", "chunked"]);
    const forward = forwardRequest({ method: body ? "POST" : "GET", ...fields, headers });
    const room = packetSize - 6;
    let offset = 0;
    const sent: number[] = [];
    const sendBody = (size: number): void => {
      const piece = (body ?? Buffer.alloc(0)).subarray(offset, offset + Math.min(size, room));
      offset += piece.length;
      sent.push(piece.length);
      this.socket.write(encodeBodyPacket(piece));
    };
    this.socket.write(encodeForwardRequest(forward));
    if (emptyBodyPacket) this.socket.write(EMPTY_BODY_PACKET);
    if (body && !chunked && body.length > 0) sendBody(room);
    const reply: AjpReply = {
      status: 0,
      reason: "",
      headers: [],
      body: Buffer.alloc(0),
      reuse: false,
      packets: [],
      sent,
    };
    const parts: Buffer[] = [];
    for (let packet = await this.next(); packet; packet = await this.next()) {
      reply.packets.push(packet);
      if (packet.type === "get-body") sendBody(packet.size);
      else if (packet.type === "headers") Object.assign(reply, packet);
      else if (packet.type === "body") parts.push(packet.data);
      else if (packet.type === "end") {
        reply.reuse = packet.reuse;
        break;
      }
    }
    reply.body = Buffer.concat(parts);
    return reply;
  }

  /**
   * Sends a FORWARD_REQUEST alone, `fields` over the defaults of {@link request}, and none of
   * the body its headers announce: a front server that stalls mid-request.
   */
  sendForwardRequest(fields: Partial<AjpForwardRequest>): void {
    this.socket.write(encodeForwardRequest(forwardRequest(fields)));
  }

  /** Sends a packet that is only a prefix code (CPING 10, SHUTDOWN 7). */
  send(code: number): void {
    this.socket.write(encodeServerCode(code));
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
