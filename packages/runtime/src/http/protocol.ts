import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { errorPage } from "../core/error-page.js";
import { endUnlessRequestComes } from "../server/drain-grace.js";
import type { ConnectionControl, Protocol, ServerContext } from "../server/types.js";
import { httpRequestPreparer } from "./server.js";

interface SocketState {
  inFlight: number;
  served: number;
  draining: boolean;
}

/**
 * HTTP/1.1 as a {@link Protocol} of the shared server layer, so the built-in HTTP server gets
 * the same listening (TCP, unix, fd 0, socket activation), workers, concurrency bound,
 * deadlines and graceful drain as FastCGI, SCGI and AJP13. Connections are handed to a
 * `node:http` server that never listens itself. The body is read before a concurrency slot
 * is taken.
 *
 * @example
 * await serve(application, { protocol: httpProtocol({ mount: "/app" }), listen: ":8000" });
 */
export function httpProtocol(options: { mount?: string } = {}): Protocol {
  let server: Server | undefined;
  const sockets = new WeakMap<Socket, SocketState>();
  const build = (context: ServerContext): Server => {
    const prepare = httpRequestPreparer(context.app, {
      mount: options.mount,
      debug: context.debug,
      maxBody: context.maxBody,
      memoryThreshold: context.memoryThreshold,
      multiprocess: context.multiprocess,
      timeout: context.requestTimeout,
      bodyTimeout: context.bodyTimeout,
      observe: context.observe,
      log: (text) => context.log(text),
    });
    const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const state = sockets.get(req.socket);
      if (state) {
        state.inFlight++;
        state.served++;
      }
      res.once("close", () => {
        context.requestFinished();
        if (!state) return;
        state.inFlight--;
        if (state.draining && state.inFlight === 0) req.socket.end();
      });
      if (state?.draining) res.shouldKeepAlive = false;
      const run = await prepare(req, res);
      if (!run || res.destroyed) return;
      if (!context.limiter.run(run)) {
        const page = errorPage("503 Service Unavailable");
        res.writeHead(503, { ...Object.fromEntries(page.headers), "Retry-After": "1" });
        res.end(page.body);
      }
    };
    const http = createServer(
      {
        // Node's own total deadlines: the header from its first byte (a trickle cannot extend
        // it), and as a backstop the whole request; readHttpBody keeps the body's own.
        headersTimeout: context.headerTimeout || 0,
        requestTimeout: context.headerTimeout + context.bodyTimeout || 0,
        connectionsCheckingInterval: Math.max(
          50,
          Math.min(1000, (context.headerTimeout || 1000) / 4),
        ),
        keepAliveTimeout: context.idleTimeout,
      },
      (req, res) => void onRequest(req, res),
    );
    // The checks above run from an interval that node starts on "listening"; this server
    // never listens (the shared layer accepts), so it is told it does.
    if (context.headerTimeout > 0) http.emit("listening");
    return http;
  };
  return {
    name: "http",
    handleConnection(socket: Socket, context: ServerContext): ConnectionControl {
      server ??= build(context);
      const state: SocketState = { inFlight: 0, served: 0, draining: false };
      sockets.set(socket, state);
      server.emit("connection", socket);
      return {
        get busy() {
          return state.inFlight > 0;
        },
        drain() {
          state.draining = true;
          if (state.inFlight > 0) return;
          // An idle keep-alive may close (clients retry on a fresh one); a fresh connection's
          // first request may be on the wire.
          if (state.served > 0) socket.end();
          else endUnlessRequestComes(socket, () => state.served === 0);
        },
      };
    },
  };
}
