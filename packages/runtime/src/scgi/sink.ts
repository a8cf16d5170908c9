import type { Socket } from "node:net";
import { waitForDrain } from "../core/drain.js";
import { formatCgiHead } from "../core/headers.js";
import type { ResponseSink } from "../types.js";

/**
 * A {@link ResponseSink} that writes a CGI-style response (a `Status:` header block, then the
 * body) to a stream socket, as SCGI front servers expect, with the socket's backpressure and
 * an abort signal that fires if the peer goes away before the response is complete. The
 * header block is held back and sent with the first body bytes, in one write.
 *
 * @example
 * await runApplication(app, environ, cgiSocketSink(socket));
 */
export function cgiSocketSink(socket: Socket): ResponseSink {
  const controller = new AbortController();
  let done = false;
  let head: Buffer | undefined;
  const flushHead = (): void => {
    if (head !== undefined) socket.write(head);
    head = undefined;
  };
  socket.once("close", () => {
    if (!done) controller.abort(new Error("the front server closed the connection"));
  });
  return {
    signal: controller.signal,
    sendHeaders(status, headers) {
      head = formatCgiHead(status, headers);
    },
    write(chunk) {
      if (head === undefined) return socket.write(chunk);
      const bytes = Buffer.concat([head, chunk]);
      head = undefined;
      return socket.write(bytes);
    },
    drain: () => waitForDrain(socket),
    end() {
      done = true;
      flushHead();
      socket.end();
    },
    abort() {
      done = true;
      socket.destroy();
    },
  };
}
