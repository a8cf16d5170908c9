import type { Socket } from "node:net";
import { decodeBodyPacket } from "../../src/ajp13/body.js";
import { ServerCode } from "../../src/ajp13/constants.js";
import { decodeForwardRequest, type AjpForwardRequest } from "../../src/ajp13/forward-request.js";
import { AjpFramer } from "../../src/ajp13/framing.js";
import {
  CPONG,
  encodeBodyChunks,
  encodeEndResponse,
  encodeGetBodyChunk,
  encodeSendHeaders,
} from "../../src/ajp13/response.js";
import { listenPeer, type EchoPeer } from "./echo-peer.js";

/** What the AJP echo peer answers: the decoded FORWARD_REQUEST and the body length. */
export interface AjpEcho {
  request: AjpForwardRequest;
  bodyLength: number;
}

function serve(socket: Socket): void {
  let request: AjpForwardRequest | undefined;
  let expected = 0;
  let received = 0;
  const respond = (): void => {
    const body = Buffer.from(JSON.stringify({ request, bodyLength: received } as AjpEcho));
    socket.write(encodeSendHeaders("200 OK", [["Content-Type", "application/json"]]));
    socket.write(encodeBodyChunks(body));
    socket.write(encodeEndResponse(true));
    request = undefined;
  };
  const framer = new AjpFramer((payload) => {
    if (!request) {
      if (payload[0] === ServerCode.CPing) return void socket.write(CPONG);
      request = decodeForwardRequest(payload);
      const header = (name: string) =>
        request?.headers.find(([n]) => n.toLowerCase() === name)?.[1];
      // A chunked body has no length: read until the empty body packet.
      expected = header("transfer-encoding") ? Infinity : Number(header("content-length") ?? 0);
      received = 0;
      // With a Content-Length, mod_proxy_ajp sends the first body chunk unasked; a chunked
      // body waits for GET_BODY_CHUNK.
      if (expected === 0) respond();
      else if (expected === Infinity) socket.write(encodeGetBodyChunk(8186));
      return;
    }
    const chunk = decodeBodyPacket(payload);
    received += chunk.length;
    if (received >= expected || chunk.length === 0) respond();
    else socket.write(encodeGetBodyChunk(Math.min(8186, expected - received)));
  });
  socket.on("data", (chunk: Buffer) => {
    try {
      framer.execute(chunk);
    } catch {
      socket.destroy();
    }
  });
}

/**
 * A minimal AJP13 container for proving Apache mod_proxy_ajp configs: it answers every
 * request with a JSON {@link AjpEcho} of what Apache forwarded, and CPONG to CPING.
 *
 * @example
 * const peer = await startAjpEcho();
 * const apache = await startApache({ mode: { kind: "ajp", backend: peer.address } });
 */
export function startAjpEcho(): Promise<EchoPeer> {
  return listenPeer(serve);
}
