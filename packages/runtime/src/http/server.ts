import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { buildEnviron, headersToMeta, type CgiMeta } from "../core/environ.js";
import { errorPage, type GatewayResponse } from "../core/error-page.js";
import { createErrorStream } from "../core/errors-stream.js";
import { BodyCollector, type BodyLimits } from "../core/input.js";
import { runApplication, type RequestObserver } from "../core/respond.js";
import { disarmOnResponse, type StuckWatch } from "../server/stuck-watch.js";
import type { RefusalObserver } from "../server/types.js";
import type { Application } from "../types.js";
import { readHttpBody } from "./body.js";
import { httpRequestMeta, PathOutsideMountError } from "./meta.js";
import { httpResponseSink } from "./sink.js";

/** Options of the built-in HTTP/1.1 server. */
export interface HttpServerOptions extends BodyLimits {
  /** The prefix the application is mounted at (its SCRIPT_NAME), e.g. `/app`. Default: root. */
  mount?: string;
  /** Show tracebacks in 500 pages. */
  debug?: boolean;
  /** Where `wsgi.errors` and server messages go. Default: stderr. */
  log?: (text: string) => void;
  /** Whether this process is one of several prefork workers (`wsgi.multiprocess`). */
  multiprocess?: boolean;
  /** Milliseconds the application may take per request (504 past it). Default: none. */
  timeout?: number;
  /** Milliseconds from the end of the header until the body is whole (408 past it). */
  bodyTimeout?: number;
  /** Told of each finished request (access log, status counters). */
  observe?: RequestObserver;
  /** Told of each answer the server gives itself (400, 404, 408, 413) instead of the application's. */
  observeRefusal?: RefusalObserver;
  /** The event loop's watchdog thread (`httpProtocol` passes the shared server's). */
  stuck?: StuckWatch;
}

/** A request whose body has been read, ready for the application. */
export interface PreparedRequest {
  /** Runs the application. */
  run(): Promise<void>;
  /** What the request's meta-variables are, for the log line of a refusal (503). */
  readonly meta: CgiMeta;
}

/**
 * An HTTP/1.1 server (keep-alive, chunked bodies) that calls the application for every
 * request: the embedded default for trying things out and for running behind a proxy.
 *
 * @example
 * const server = createHttpServer(application, { mount: "/app" });
 * server.listen(8000);
 */
export function createHttpServer(app: Application, options: HttpServerOptions = {}): Server {
  const handle = httpRequestHandler(app, options);
  return createServer((req, res) => void handle(req, res));
}

/**
 * The request handler of {@link createHttpServer}, for use with a server of your own.
 *
 * @example
 * http.createServer(httpRequestHandler(application)).listen(8000);
 */
export function httpRequestHandler(
  app: Application,
  options: HttpServerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const prepare = httpRequestPreparer(app, options);
  return async (req, res) => {
    const prepared = await prepare(req, res);
    if (prepared) await prepared.run();
  };
}

/**
 * The two halves of a request: reading it (the body in full, checks that answer 400, 404 or
 * 413 themselves) and then, through the returned function, running the application. A
 * server with a concurrency bound takes a slot only for the second half, so a slow upload
 * holds a connection but never a slot (as nginx and php-fpm: the body is read first).
 *
 * @example
 * const prepared = await httpRequestPreparer(app)(req, res);
 * if (prepared && !limiter.run(prepared.run)) answer503(res);
 */
export function httpRequestPreparer(
  app: Application,
  options: HttpServerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => Promise<PreparedRequest | undefined> {
  const mount = normalizeMount(options.mount);
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const errors = createErrorStream(log);
  const observeRefusal = options.observeRefusal;
  return async (req, res) => {
    const began = observeRefusal ? performance.now() : 0;
    const refuse = (status: string, close = false): undefined => {
      const sent = sendPage(res, errorPage(status), close, req.method === "HEAD");
      observeRefusal?.(
        refusedMeta(req),
        Number(status.slice(0, 3)),
        sent,
        performance.now() - began,
      );
      return undefined;
    };
    if (repeatsHost(req.rawHeaders)) {
      log(
        `cgi2wsgi: http: a request with more than one Host header from ${req.socket.remoteAddress}; answered 400\n`,
      );
      return refuse("400 Bad Request", true);
    }
    const declared = req.headers["content-length"];
    const collector = new BodyCollector(options);
    if (declared !== undefined && Number(declared) > collector.maxBody) {
      return refuse("413 Content Too Large", true);
    }
    const failure = await readHttpBody(req, collector, { bodyTimeout: options.bodyTimeout, log });
    if (failure) {
      collector.dispose();
      if (failure === "broken") return void res.destroy();
      return refuse(failure, true);
    }
    const socket = req.socket;
    let meta;
    try {
      meta = httpRequestMeta({
        method: req.method ?? "GET",
        target: req.url ?? "/",
        rawHeaders: req.rawHeaders,
        mount,
        httpVersion: req.httpVersion,
        localAddress: socket.localAddress ?? "127.0.0.1",
        localPort: (socket.address() as AddressInfo).port ?? 0,
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
        contentLength: declared !== undefined ? Number(declared) : collector.received || undefined,
      });
    } catch (error) {
      collector.dispose();
      if (!(error instanceof PathOutsideMountError)) throw error;
      return refuse("404 Not Found");
    }
    const environ = buildEnviron(meta, {
      input: collector.finish(),
      errors,
      multithread: true,
      multiprocess: options.multiprocess ?? false,
      runOnce: false,
    });
    return {
      meta,
      async run() {
        // Only the response the socket is writing now: a pipelined one waits (no socket yet).
        const stuck = options.stuck;
        const token = stuck ? stuck.arm(res.socket, 0, req.method === "HEAD") : -1;
        try {
          const sink = disarmOnResponse(httpResponseSink(res), stuck, token);
          await runApplication(app, environ, sink, { ...options, log });
        } finally {
          stuck?.disarm(token);
          collector.dispose();
        }
      },
    };
  };
}

/** What the access log shows of a request the server answers itself. */
function refusedMeta(req: IncomingMessage): CgiMeta {
  return {
    ...headersToMeta(req.rawHeaders),
    REQUEST_METHOD: req.method,
    REQUEST_URI: req.url,
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REMOTE_ADDR: req.socket.remoteAddress,
  };
}

/** RFC 9112 section 3.2: a request with more than one Host field must get a 400. */
function repeatsHost(raw: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 4 || name.toLowerCase() !== "host") continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}

/** Sends a page of the server's own; returns the body bytes sent (none for HEAD). */
function sendPage(
  res: ServerResponse,
  page: GatewayResponse,
  close: boolean,
  head: boolean,
): number {
  const headers: Record<string, string> = Object.fromEntries(page.headers);
  if (close) headers.Connection = "close";
  res.writeHead(Number(page.status.slice(0, 3)), page.status.slice(4), headers);
  res.end(page.body);
  return head ? 0 : page.body.length;
}

/**
 * Normalizes a mount prefix: leading slash, no trailing slash, `/` meaning the root (`""`).
 *
 * @example
 * normalizeMount("app/"); // "/app"
 */
export function normalizeMount(mount: string | undefined): string {
  if (!mount || mount === "/") return "";
  const trimmed = mount.replace(/\/+$/, "");
  return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
}
