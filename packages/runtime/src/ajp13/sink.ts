import type { Socket } from "node:net";
import { waitForDrain } from "../core/drain.js";
import { errorPage } from "../core/error-page.js";
import type { ResponseSink } from "../types.js";
import { AjpPacketTooLargeError } from "./errors.js";
import { encodeBodyChunks, encodeEndResponse, encodeSendHeaders, FLUSH } from "./response.js";

/** How one AJP13 response ends and where its problems are reported. */
export interface AjpSinkOptions {
  packetSize: number;
  /** Asked at the end: may the connection carry another request? */
  reuse: () => boolean;
  /** Called once END_RESPONSE is written, with the reuse flag sent. */
  onEnd: (reused: boolean) => void;
  log: (text: string) => void;
}

/**
 * A {@link ResponseSink} that answers one AJP13 request: SEND_HEADERS (held back and sent with
 * the first body bytes), SEND_BODY_CHUNK packets within the packet size, each write followed
 * by the empty flush packet (a WSGI server must not hold a block back, and the web server
 * holds everything until it sees one), and END_RESPONSE.
 * Headers too large for one packet cannot be sent at all; the client then gets a 500 instead
 * of a broken connection, and the rest of the response is dropped.
 *
 * @example
 * const sink = ajpResponseSink(socket, { packetSize: 8192, reuse: () => true,
 *   onEnd: () => readNextRequest(), log: console.error });
 */
export function ajpResponseSink(socket: Socket, options: AjpSinkOptions): ResponseSink {
  const { packetSize } = options;
  const controller = new AbortController();
  let done = false;
  let replaced = false;
  let head: Buffer | undefined;
  const onClose = (): void => {
    if (!done) controller.abort(new Error("the web server closed the connection"));
  };
  socket.once("close", onClose);
  const finish = (): void => {
    done = true;
    socket.off("close", onClose);
  };
  const end = (reused: boolean, tail: Buffer[] = []): void => {
    finish();
    const packets = [...(head ? [head] : []), ...tail, encodeEndResponse(reused)];
    head = undefined;
    socket.write(Buffer.concat(packets));
    options.onEnd(reused);
  };
  return {
    signal: controller.signal,
    sendHeaders(status, headers) {
      try {
        head = encodeSendHeaders(status, headers, packetSize);
      } catch (error) {
        if (!(error instanceof AjpPacketTooLargeError)) throw error;
        options.log(`cgi2wsgi ajp13: response headers not sent: ${error.message}\n`);
        replaced = true;
        const page = errorPage("500 Internal Server Error");
        head = encodeSendHeaders(page.status, page.headers, packetSize);
        end(false, [encodeBodyChunks(page.body, packetSize)]);
        // Stops the application's body: nothing more of it can be sent.
        controller.abort(error);
      }
    },
    write(chunk) {
      if (replaced) return true;
      const body = [encodeBodyChunks(chunk, packetSize), FLUSH];
      const bytes = Buffer.concat(head === undefined ? body : [head, ...body]);
      head = undefined;
      return socket.write(bytes);
    },
    drain: () => waitForDrain(socket),
    end() {
      if (!replaced) end(options.reuse());
    },
    abort() {
      if (replaced) return;
      finish();
      socket.destroy();
    },
  };
}
