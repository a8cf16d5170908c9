import type { Server, Socket } from "node:net";
import type { Application } from "../types.js";
import {
  formatListenAddress,
  inheritedAddress,
  parseListenAddress,
  type ListenAddress,
} from "./address.js";
import { ConcurrencyLimiter } from "./limiter.js";
import { listen } from "./listen.js";
import { operatorHooks, type OperatorOptions } from "./operator.js";
import { StuckWatch } from "./stuck-watch.js";
import type { ServerStats } from "./stats.js";
import type { ConnectionControl, Protocol, ServerContext } from "./types.js";

/**
 * Options of one serving process.
 *
 * @example
 * const options: StartOptions = { protocol: fastcgi(), listen: "unix:/run/app.sock", maxConcurrency: 8 };
 */
export interface StartOptions extends OperatorOptions {
  /** The wire protocol, e.g. `fastcgi()`. */
  protocol: Protocol;
  /** `HOST:PORT`, `:PORT`, `unix:/path` or `fd:N`; default: an inherited socket (systemd, fd 0). */
  listen?: string | ListenAddress;
  /** Permission bits of a unix socket file, e.g. `0o660`. */
  socketMode?: number;
  /** In-flight requests of this process; more wait in a queue. Default: unbounded. */
  maxConcurrency?: number;
  /** Requests waiting for a slot; more get 503. Default: 16 times maxConcurrency. */
  maxQueue?: number;
  /** Request body limit in bytes (413 beyond). */
  maxBody?: number;
  /** Bodies beyond this many bytes are spilled to a temporary file. */
  memoryThreshold?: number;
  /**
   * Open connections of this process. At the bound a new connection takes the place of the
   * oldest one with no request running (an idle keep-alive or a request still arriving, as
   * nginx reuses idle keep-alive connections), so stalled clients cannot lock others out;
   * only when every connection runs a request is the new one closed. Default: 1000.
   */
  maxConnections?: number;
  /**
   * Milliseconds a connection may sit without a request before it is closed (keep-alive
   * idle). Default: 60000, as nginx's upstream `keepalive_timeout`.
   */
  idleTimeout?: number;
  /**
   * Milliseconds from a request's first byte until its header is complete, however slowly
   * the bytes trickle in; past it 408 (or the connection is closed). Default: 60000, as
   * nginx's `client_header_timeout`. 0: none.
   */
  headerTimeout?: number;
  /**
   * Milliseconds from the end of the header until the body is complete (a total deadline,
   * stricter than nginx's per-read `client_body_timeout`). Default: 60000. 0: none.
   */
  bodyTimeout?: number;
  /** Show tracebacks in 500 pages. */
  debug?: boolean;
  /**
   * Milliseconds the application may take per request (`--timeout`): past it a 504 (or a
   * cut-off response), `close()` called and the slot freed. Default: 60000, when nginx's
   * `fastcgi_read_timeout` gives up too. 0: none.
   */
  requestTimeout?: number;
  /** Server log. Default: stderr. */
  log?: (text: string) => void;
  /** Whether this process is one of several prefork workers (`wsgi.multiprocess`). */
  multiprocess?: boolean;
  /** Called after each finished request (worker recycling counts them). */
  onRequestFinished?: () => void;
  /** Replace a stale unix socket file before listening. Default: true. */
  removeStale?: boolean;
  /**
   * Milliseconds this process's event loop may stay stuck (an application in a synchronous
   * loop) before a watchdog thread answers 504 to each request in flight whose response has
   * not begun, logs it to stderr and kills the process. `serve` sets it in prefork workers
   * (their primary then replaces the worker). Default: none.
   */
  stuckTimeout?: number;
}

const DEFAULT_TIMEOUT = 60_000;

/**
 * No address given and nothing inherited.
 *
 * @example
 * startServer(app, { protocol: fastcgi() }).catch((e) => { if (e instanceof NoListenAddressError) usage(); });
 */
export class NoListenAddressError extends Error {
  readonly code = "ERR_NO_LISTEN_ADDRESS";
  constructor() {
    super(
      "no --listen address was given and no listening socket was inherited (fd 0 or systemd LISTEN_FDS); pass --listen HOST:PORT or unix:/path",
    );
    this.name = "NoListenAddressError";
  }
}

/**
 * A server running in this process.
 *
 * @example
 * const running = await startServer(app, { protocol: fastcgi(), listen: "127.0.0.1:0" });
 * console.log(running.address);
 * await running.close();
 */
export interface RunningServer {
  /** Where it listens, as `HOST:PORT`, `unix:/path` or `fd:N` (the real port for port 0). */
  readonly address: string;
  readonly server: Server;
  readonly limiter: ConcurrencyLimiter;
  /** The status counters, when a status or ping path is set. */
  readonly stats: ServerStats | undefined;
  /** Open connections. */
  readonly connections: number;
  /**
   * Stops accepting, lets in-flight requests finish and closes connections as they go idle;
   * after `timeout` ms (default 30000) the rest are cut. Resolves once all are closed and
   * the access log file is closed (its SIGUSR1 listener gone).
   */
  close(timeout?: number): Promise<void>;
}

/**
 * Listens and serves `app` over `options.protocol` in this process: connection bounds,
 * idle timeouts, the concurrency limiter and graceful draining. Protocol-agnostic: FastCGI,
 * SCGI and AJP13 only bring a per-connection handler.
 *
 * @example
 * const running = await startServer(application, { protocol: fastcgi(), listen: "unix:/tmp/app.sock" });
 */
export async function startServer(app: Application, options: StartOptions): Promise<RunningServer> {
  const address =
    typeof options.listen === "string"
      ? parseListenAddress(options.listen)
      : (options.listen ?? inheritedAddress());
  if (!address) throw new NoListenAddressError();
  const server = await listen(address, {
    socketMode: options.socketMode,
    removeStale: options.removeStale,
  });
  return attach(server, address, app, options);
}

/**
 * Serves on a server that is already listening (a prefork worker's shared socket, say).
 *
 * @example
 * const running = attach(server, { kind: "fd", fd: 3 }, application, { protocol: fastcgi() });
 */
export function attach(
  server: Server,
  address: ListenAddress,
  app: Application,
  options: StartOptions,
): RunningServer {
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const limiter = new ConcurrencyLimiter(options);
  const open = new Map<Socket, ConnectionControl>();
  const hooks = operatorHooks(
    app,
    options,
    () => ({ inFlight: limiter.inFlight, queued: limiter.queued, connections: open.size }),
    log,
  );
  const maxConnections = options.maxConnections ?? 1000;
  const answer = options.protocol.timeoutAnswer;
  const stuck =
    options.stuckTimeout && options.stuckTimeout > 0 && answer
      ? StuckWatch.start(options.stuckTimeout, answer, Math.max(1, maxConnections))
      : undefined;
  const context: ServerContext = {
    app: hooks.app,
    observe: hooks.observe,
    observeRefusal: hooks.observeRefusal,
    maxBody: options.maxBody,
    memoryThreshold: options.memoryThreshold,
    debug: options.debug ?? false,
    requestTimeout: options.requestTimeout ?? DEFAULT_TIMEOUT,
    headerTimeout: options.headerTimeout ?? DEFAULT_TIMEOUT,
    bodyTimeout: options.bodyTimeout ?? DEFAULT_TIMEOUT,
    idleTimeout: options.idleTimeout ?? DEFAULT_TIMEOUT,
    multiprocess: options.multiprocess ?? false,
    limiter,
    log,
    requestFinished: options.onRequestFinished ?? (() => {}),
    stuck,
  };
  const idleTimeout = context.idleTimeout;
  let closing = false;
  let allClosed: (() => void) | undefined;

  server.on("connection", (socket: Socket) => {
    if (open.size >= maxConnections && !evictIdle(open)) {
      noteRefused(log, options.protocol.name, maxConnections);
      socket.destroy();
      return;
    }
    let control: ConnectionControl;
    try {
      control = options.protocol.handleConnection(socket, context);
    } catch (error) {
      log(`cgi2wsgi: ${options.protocol.name}: could not set up a connection: ${String(error)}\n`);
      socket.destroy();
      return;
    }
    open.set(socket, control);
    if (closing) control.drain();
    if (idleTimeout > 0) {
      socket.setTimeout(idleTimeout, () => {
        if (!control.busy) socket.destroy();
      });
    }
    socket.once("close", () => {
      open.delete(socket);
      if (closing && open.size === 0) allClosed?.();
    });
  });
  server.on("error", (error) =>
    log(`cgi2wsgi: ${options.protocol.name}: listener error: ${String(error)}\n`),
  );

  const bound = server.address();
  const shown =
    bound && typeof bound === "object"
      ? formatListenAddress({ kind: "tcp", host: bound.address, port: bound.port })
      : formatListenAddress(address);
  return {
    address: shown,
    server,
    limiter,
    stats: hooks.stats,
    get connections() {
      return open.size;
    },
    async close(timeout = 30_000) {
      closing = true;
      server.close();
      if (open.size > 0) {
        const done = new Promise<void>((resolve) => (allClosed = resolve));
        for (const control of open.values()) control.drain();
        const timer = setTimeout(() => {
          for (const socket of open.keys()) socket.destroy();
        }, timeout);
        await done;
        clearTimeout(timer);
      }
      await limiter.idle();
      stuck?.stop();
      hooks.close();
    },
  };
}

/** Closes the oldest connection with no request running; false if every one is busy. */
function evictIdle(open: Map<Socket, ConnectionControl>): boolean {
  for (const [socket, control] of open) {
    if (control.busy) continue;
    open.delete(socket);
    socket.destroy();
    return true;
  }
  return false;
}

let lastRefusal = 0;

/** Logs a refused connection at most once a second: a flood must not flood the log too. */
function noteRefused(log: (text: string) => void, protocol: string, max: number): void {
  const now = Date.now();
  if (now - lastRefusal < 1000) return;
  lastRefusal = now;
  log(
    `cgi2wsgi: ${protocol}: ${max} connections, all running requests; closing new ones (raise --max-connections or add workers)\n`,
  );
}
