import type { Socket } from "node:net";
import { waitForDrain } from "../scgi/sink.js";
import type { ResponseSink } from "../types.js";
import { encodeBodyChunks, encodeEndResponse, encodeSendHeaders } from "./response.js";

/**
 * A {@link ResponseSink} that answers one AJP13 request: SEND_HEADERS (held back and sent with
 * the first body bytes), SEND_BODY_CHUNK packets within the packet size, and END_RESPONSE,
 * after which `onEnd` decides whether the connection carries another request.
 *
 * @example
 * const sink = ajpResponseSink(socket, 8192, () => true, () => readNextRequest());
 */
export function ajpResponseSink(
  socket: Socket,
  packetSize: number,
  reuse: () => boolean,
  onEnd: (reused: boolean) => void,
): ResponseSink {
  const controller = new AbortController();
  let done = false;
  let head: Buffer | undefined;
  const onClose = (): void => {
    if (!done) controller.abort(new Error("the web server closed the connection"));
  };
  socket.once("close", onClose);
  const finish = (): void => {
    done = true;
    socket.off("close", onClose);
  };
  return {
    signal: controller.signal,
    sendHeaders(status, headers) {
      head = encodeSendHeaders(status, headers, packetSize);
    },
    write(chunk) {
      const body = encodeBodyChunks(chunk, packetSize);
      const bytes = head === undefined ? body : Buffer.concat([head, body]);
      head = undefined;
      return socket.write(bytes);
    },
    drain: () => waitForDrain(socket),
    end() {
      finish();
      const reused = reuse();
      const end = encodeEndResponse(reused);
      socket.write(head === undefined ? end : Buffer.concat([head, end]));
      head = undefined;
      onEnd(reused);
    },
    abort() {
      finish();
      socket.destroy();
    },
  };
}
