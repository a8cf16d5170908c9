import type { Socket } from "node:net";
import type { CgiMeta } from "../core/environ.js";
import type { RequestObserver } from "../core/respond.js";
import type { Application } from "../types.js";
import type { ConcurrencyLimiter } from "./limiter.js";
import type { StuckWatch, TimeoutAnswer } from "./stuck-watch.js";

/**
 * What the protocol-agnostic server hands every connection: the application, the limits
 * and the shared services (log, concurrency limiter, request accounting).
 *
 * @example
 * const handle: Protocol["handleConnection"] = (socket, context) => {
 *   context.log("cgi2wsgi: new connection\n");
 *   return { busy: false, drain: () => socket.end() };
 * };
 */
export interface ServerContext {
  readonly app: Application;
  /** Request bodies beyond this many bytes get a 413 and the application is not called. */
  readonly maxBody: number | undefined;
  /** Request bodies beyond this many bytes are spilled to a temporary file. */
  readonly memoryThreshold: number | undefined;
  /** Show tracebacks in 500 pages. */
  readonly debug: boolean;
  /**
   * Milliseconds a request may run; past it the client gets a 504 (or, once headers are out,
   * a cut-off response) and the application is told through the sink's signal. Unset: none.
   */
  readonly requestTimeout?: number;
  /**
   * Milliseconds from a request's first byte until its whole header (request line, headers;
   * FastCGI PARAMS, SCGI netstring, AJP FORWARD_REQUEST) has arrived: a total deadline that
   * a trickle of bytes cannot extend. 0: none.
   */
  readonly headerTimeout: number;
  /** Milliseconds from the end of the header until the whole body has arrived. 0: none. */
  readonly bodyTimeout: number;
  /** Milliseconds a connection may sit with no request before it is closed (keep-alive). */
  readonly idleTimeout: number;
  /** True when this process is one of several prefork workers (`wsgi.multiprocess`). */
  readonly multiprocess: boolean;
  /** Bounds in-flight requests of this process; see {@link ConcurrencyLimiter}. */
  readonly limiter: ConcurrencyLimiter;
  /** Server log (stderr by default); messages end with a newline. */
  log(text: string): void;
  /** Call once per finished request, for worker recycling. */
  requestFinished(): void;
  /** Passed to `runApplication`: the access log, slow-request log and status counters. */
  readonly observe?: RequestObserver;
  /** Told of each answer the gateway gives itself instead of the application's; see {@link RefusalObserver}. */
  readonly observeRefusal?: RefusalObserver;
  /**
   * The event loop's watchdog thread, when `stuckTimeout` is set and the protocol has a
   * `timeoutAnswer`: arm each request as it starts running, where the 504 would land cleanly.
   */
  readonly stuck?: StuckWatch;
}

/**
 * Receives each answer a gateway gives itself instead of calling the application (400, 404,
 * 408, 413, 431, 503, ...): what is known of the request (its meta-variables; none when its
 * header never arrived whole), the status sent, the page's body bytes and the milliseconds
 * since the request began (its first byte, or the end of its header where only that is
 * known). Feeds the access log and the status totals, not the slow-request log.
 *
 * @example
 * const observeRefusal: RefusalObserver = (meta, status) => log(`${meta.REQUEST_URI ?? "-"} refused: ${status}\n`);
 */
export type RefusalObserver = (meta: CgiMeta, status: number, bytes: number, ms: number) => void;

/**
 * A connection handler's answer to the server, used for idle timeouts and draining.
 *
 * @example
 * const control: ConnectionControl = { get busy() { return inFlight > 0; }, drain() { closing = true; } };
 */
export interface ConnectionControl {
  /** True while a request on this connection is in flight. */
  readonly busy: boolean;
  /** Take no new requests; close the connection once none is in flight. */
  drain(): void;
}

/**
 * A wire protocol the server can speak (FastCGI, SCGI, AJP13, ...): only a per-connection
 * handler. The server owns listening, workers, limits and the lifecycle.
 *
 * @example
 * const echo: Protocol = {
 *   name: "echo",
 *   handleConnection(socket) {
 *     socket.pipe(socket);
 *     return { busy: false, drain: () => socket.end() };
 *   },
 * };
 */
export interface Protocol {
  readonly name: string;
  /**
   * The protocol's 504 as wire bytes, which a watchdog thread writes for requests in flight
   * when the event loop is stuck (`stuckTimeout`); without it they are only cut off.
   */
  readonly timeoutAnswer?: TimeoutAnswer;
  /** Text of the 503 page and similar answers is made by the protocol itself. */
  handleConnection(socket: Socket, context: ServerContext): ConnectionControl;
}
