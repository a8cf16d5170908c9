import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { errorPage } from "../core/error-page.js";
import { endUnlessRequestComes } from "../server/drain-grace.js";
import { lateMessage } from "../server/read-clock.js";
import { plainAnswer } from "../server/stuck-watch.js";
import type { ConnectionControl, Protocol, ServerContext } from "../server/types.js";
import { httpRequestPreparer } from "./server.js";

interface SocketState {
  inFlight: number;
  served: number;
  draining: boolean;
  /** The response in progress, if any. */
  response: ServerResponse | undefined;
  /**
   * When the connection opened or last finished a response: where a request head that never
   * arrived began, as far as can be told (node parses it natively, unseen).
   */
  idleSince: number;
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
      observeRefusal: context.observeRefusal,
      stuck: context.stuck,
      log: (text) => context.log(text),
    });
    const observeRefusal = context.observeRefusal;
    const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
      const began = observeRefusal ? performance.now() : 0;
      const state = sockets.get(req.socket);
      if (state) {
        state.inFlight++;
        state.served++;
        state.response = res;
      }
      res.once("close", () => {
        context.requestFinished();
        if (!state) return;
        state.inFlight--;
        if (state.response === res) state.response = undefined;
        if (observeRefusal) state.idleSince = performance.now();
        if (state.draining && state.inFlight === 0) req.socket.end();
      });
      if (state?.draining) res.shouldKeepAlive = false;
      const prepared = await prepare(req, res);
      if (!prepared || res.destroyed) return;
      if (!context.limiter.run(prepared.run)) {
        const page = errorPage("503 Service Unavailable");
        res.writeHead(503, { ...Object.fromEntries(page.headers), "Retry-After": "1" });
        res.end(page.body);
        const bytes = req.method === "HEAD" ? 0 : page.body.length;
        observeRefusal?.(prepared.meta, 503, bytes, performance.now() - began);
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
    http.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) =>
      answerClientError(error, socket, sockets.get(socket), context),
    );
    return http;
  };
  return {
    name: "http",
    timeoutAnswer: TIMEOUT_ANSWER,
    handleConnection(socket: Socket, context: ServerContext): ConnectionControl {
      server ??= build(context);
      const state: SocketState = {
        inFlight: 0,
        served: 0,
        draining: false,
        response: undefined,
        idleSince: context.observeRefusal ? performance.now() : 0,
      };
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

const TIMEOUT_PAGE = errorPage("504 Gateway Timeout");
/** The 504 a stuck worker's watchdog writes; the connection closes with the worker. */
const TIMEOUT_ANSWER = plainAnswer(
  Buffer.from(
    [
      "HTTP/1.1 504 Gateway Timeout",
      ...TIMEOUT_PAGE.headers.map(([name, value]) => `${name}: ${value}`),
      "Connection: close",
      "\r\n",
    ].join("\r\n"),
  ),
  TIMEOUT_PAGE.body,
);

// What node answers to a request head it could not take (its defaults when nobody listens
// for clientError); other parse errors get a 400.
const CLIENT_ERRORS: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  HPE_CHUNK_EXTENSIONS_OVERFLOW: "413 Content Too Large",
};

/**
 * A request head that was late (past the header deadline, or the whole request past its
 * backstop) or malformed: answered as node would, and also logged and counted. Errors of
 * the socket itself (a reset) get no answer.
 */
function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  state: SocketState | undefined,
  context: ServerContext,
): void {
  const code = error.code ?? "";
  const status = CLIENT_ERRORS[code] ?? (code.startsWith("HPE_") ? "400 Bad Request" : undefined);
  // Once a response has begun, another head would corrupt it: the connection just ends.
  if (status && socket.writable && !state?.response?.headersSent) {
    if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
      const phase = state?.response ? "body" : "header";
      context.log(`cgi2wsgi http: ${lateMessage(phase, context)}; answered 408\n`);
    }
    const page = errorPage(status);
    const head = [
      `HTTP/1.1 ${status}`,
      ...page.headers.map(([name, value]) => `${name}: ${value}`),
      "Connection: close",
    ];
    socket.write(Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`), page.body]));
    const meta = { REMOTE_ADDR: socket.remoteAddress };
    const ms = state ? performance.now() - state.idleSince : 0;
    context.observeRefusal?.(meta, Number(status.slice(0, 3)), page.body.length, ms);
  }
  socket.destroy();
}
