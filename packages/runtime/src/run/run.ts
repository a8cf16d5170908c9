import { fstatSync } from "node:fs";
import { runCgi } from "../cgi/gateway.js";
import type { ErrorsTarget } from "../fastcgi/protocol.js";
import type { Application } from "../types.js";

/** The gateways {@link run} can pick. */
export type RunProtocol = "cgi" | "fastcgi" | "scgi" | "ajp13" | "http";

/** Options of {@link run}; each can also come from the environment. */
export interface RunOptions {
  /** Force a protocol (`CGI2WSGI_PROTOCOL`). Default: detected from how the process started. */
  protocol?: RunProtocol;
  /** Force an address (`CGI2WSGI_LISTEN`): `HOST:PORT`, `:PORT`, `unix:/path` or `fd:N`. */
  listen?: string;
  /** Request body limit in bytes (`CGI2WSGI_MAX_BODY`). */
  maxBody?: number;
  /** In-flight requests per process (`CGI2WSGI_MAX_CONCURRENCY`). */
  maxConcurrency?: number;
  /**
   * Where `wsgi.errors` goes under FastCGI (`CGI2WSGI_ERRORS`): `front` (FCGI_STDERR, the
   * default) or `local` (stderr). CGI's stderr is the web server's log either way.
   */
  errors?: ErrorsTarget;
  /** SCRIPT_NAME prefix (`CGI2WSGI_MOUNT`). */
  mount?: string;
  /** Prefork worker processes (`CGI2WSGI_WORKERS`). */
  workers?: number;
  /** Show tracebacks in 500 pages (`CGI2WSGI_DEBUG=1`). Never in production. */
  debug?: boolean;
  /** The environment to read; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The protocol {@link run} will use, and why. */
export interface Detected {
  protocol: RunProtocol;
  /** Where to listen; undefined for CGI. */
  listen?: string;
  reason: string;
}

/**
 * Decides how to serve, as flup's `WSGIServer(app).run()` does: a forced protocol or address
 * first, then a CGI request in the environment (`GATEWAY_INTERFACE` and `REQUEST_METHOD`),
 * systemd socket activation (`LISTEN_FDS`), a listening socket on fd 0 (the web server
 * spawned us as FastCGI), `GATEWAY_INTERFACE` alone, and otherwise the HTTP server on `$PORT`
 * (default 8000).
 *
 * @example
 * detect({ env: { GATEWAY_INTERFACE: "CGI/1.1" } }); // { protocol: "cgi", reason: ... }
 */
export async function detect(options: RunOptions = {}): Promise<Detected> {
  const env = options.env ?? process.env;
  const forced = options.protocol ?? (env.CGI2WSGI_PROTOCOL as RunProtocol | undefined);
  const listen = options.listen ?? env.CGI2WSGI_LISTEN;
  if (forced === "cgi") return { protocol: "cgi", reason: "forced" };
  if (forced || listen) {
    return { protocol: forced ?? "fastcgi", listen, reason: "forced" };
  }
  // A web server running us per request sets both; one spawning a FastCGI program sets
  // neither (requests come over the socket). Checking first keeps a CGI start from reading
  // the kernel's socket tables: Node's own child stdio, say, is a socket pair on fd 0.
  if (env.GATEWAY_INTERFACE && env.REQUEST_METHOD) {
    return { protocol: "cgi", reason: "a CGI request is in the environment" };
  }
  // Only a socket on fd 0 or LISTEN_FDS needs the server code; a CGI start must stay cheap.
  if (env.LISTEN_FDS || isSocketOnStdin()) {
    const { inheritedAddress, formatListenAddress } = await import("../server/address.js");
    const inherited = inheritedAddress(env as NodeJS.ProcessEnv);
    if (inherited) {
      return {
        protocol: "fastcgi",
        listen: formatListenAddress(inherited),
        reason: env.LISTEN_FDS ? "systemd socket activation" : "listening socket on fd 0",
      };
    }
  }
  if (env.GATEWAY_INTERFACE) return { protocol: "cgi", reason: "GATEWAY_INTERFACE is set" };
  return { protocol: "http", listen: `:${env.PORT || 8000}`, reason: "no gateway detected" };
}

/**
 * Serves `app` the way the process was started: one request as a CGI program, FastCGI on an
 * inherited socket, or a server on a given address. The one call a `.fcgi` launcher makes, so
 * the same file works when a web server runs it as CGI and when it spawns it as FastCGI.
 *
 * @example
 * import { run } from "@cgi2wsgi/runtime";
 * import { application } from "./form.mjs";
 * run(application);
 */
export async function run(app: Application, options: RunOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const how = await detect(options);
  const maxBody = options.maxBody ?? numberFrom(env.CGI2WSGI_MAX_BODY);
  const debug = options.debug ?? env.CGI2WSGI_DEBUG === "1";
  if (how.protocol === "cgi") {
    await runCgi(app, { maxBody, debug, env });
    return;
  }
  const { serve, protocolByName } = await import("./server-entry.js");
  await serve(app, {
    protocol: protocolByName(
      how.protocol,
      options.mount ?? env.CGI2WSGI_MOUNT,
      options.errors ?? errorsTarget(env.CGI2WSGI_ERRORS),
    ),
    listen: how.listen,
    maxBody,
    debug,
    maxConcurrency: options.maxConcurrency ?? numberFrom(env.CGI2WSGI_MAX_CONCURRENCY),
    workers: options.workers ?? numberFrom(env.CGI2WSGI_WORKERS),
  });
}

/** `CGI2WSGI_ERRORS` that is neither `front` nor `local`. */
export class ErrorsTargetError extends Error {
  readonly code = "ERR_ERRORS_TARGET";
  constructor(value: string) {
    super(`CGI2WSGI_ERRORS must be front or local, got ${JSON.stringify(value)}`);
    this.name = "ErrorsTargetError";
  }
}

/**
 * Where `CGI2WSGI_ERRORS` sends `wsgi.errors`; unset or empty means the default (front).
 * A launcher refuses to start on any other value rather than guess.
 *
 * @example
 * errorsTarget("local"); // "local"
 * errorsTarget("syslog"); // throws ErrorsTargetError
 */
export function errorsTarget(value: string | undefined): ErrorsTarget | undefined {
  if (!value) return undefined;
  if (value === "front" || value === "local") return value;
  throw new ErrorsTargetError(value);
}

function numberFrom(value: string | undefined): number | undefined {
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

function isSocketOnStdin(): boolean {
  try {
    return fstatSync(0).isSocket();
  } catch {
    return false;
  }
}
