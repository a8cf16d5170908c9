import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { errorPage } from "../core/error-page.js";
import type { ConnectionControl, Protocol, ServerContext } from "../server/types.js";
import { httpRequestHandler } from "./server.js";

interface SocketState {
  inFlight: number;
  draining: boolean;
}

/**
 * HTTP/1.1 as a {@link Protocol} of the shared server layer, so the built-in HTTP server gets
 * the same listening (TCP, unix, fd 0, socket activation), workers, concurrency bound and
 * graceful drain as FastCGI, SCGI and AJP13. Connections are handed to a `node:http` server
 * that never listens itself.
 *
 * @example
 * await serve(application, { protocol: httpProtocol({ mount: "/app" }), listen: ":8000" });
 */
export function httpProtocol(options: { mount?: string } = {}): Protocol {
  let server: Server | undefined;
  const sockets = new WeakMap<Socket, SocketState>();
  const build = (context: ServerContext): Server => {
    const handle = httpRequestHandler(context.app, {
      mount: options.mount,
      debug: context.debug,
      maxBody: context.maxBody,
      memoryThreshold: context.memoryThreshold,
      multiprocess: context.multiprocess,
      log: (text) => context.log(text),
    });
    return createServer((req: IncomingMessage, res: ServerResponse) => {
      const state = sockets.get(req.socket);
      if (state) state.inFlight++;
      res.once("close", () => {
        context.requestFinished();
        if (!state) return;
        state.inFlight--;
        if (state.draining && state.inFlight === 0) req.socket.end();
      });
      if (state?.draining) res.shouldKeepAlive = false;
      const accepted = context.limiter.run(() => handle(req, res));
      if (!accepted) {
        const page = errorPage("503 Service Unavailable");
        res.writeHead(503, { ...Object.fromEntries(page.headers), "Retry-After": "1" });
        res.end(page.body);
      }
    });
  };
  return {
    name: "http",
    handleConnection(socket: Socket, context: ServerContext): ConnectionControl {
      server ??= build(context);
      const state: SocketState = { inFlight: 0, draining: false };
      sockets.set(socket, state);
      server.emit("connection", socket);
      return {
        get busy() {
          return state.inFlight > 0;
        },
        drain() {
          state.draining = true;
          if (state.inFlight === 0) socket.end();
        },
      };
    },
  };
}
