import type { Socket } from "node:net";
import { errorPage } from "../core/error-page.js";
import { cgiHeadText } from "../core/headers.js";
import type { TimeoutAnswer } from "../server/stuck-watch.js";
import type { ConnectionControl, Protocol, ServerContext } from "../server/types.js";
import { FastCgiConnection, type FastCgiLimits } from "./connection.js";
import { ProtocolStatus } from "./constants.js";
import { encodeResponse } from "./response-encoder.js";

/**
 * Options of the FastCGI protocol handler.
 *
 * @example
 * const options: FastCgiOptions = { mount: "/app", allowedPeers: ["127.0.0.1"] };
 */
export interface FastCgiOptions {
  /** Largest PARAMS of one request, and of all requests on a connection still sending theirs. Default: 1 MiB. */
  maxParamsBytes?: number;
  /** Requests multiplexed on one connection at once. Default: 100. */
  maxRequestsPerConnection?: number;
  /** FCGI_MAX_CONNS answered to FCGI_GET_VALUES. Default: 1000. */
  maxConnections?: number;
  /** FCGI_MAX_REQS answered to FCGI_GET_VALUES. Default: 10000. */
  maxRequests?: number;
  /**
   * Peer addresses allowed to connect over TCP, as libfcgi's and flup's
   * `FCGI_WEB_SERVER_ADDRS` (comma-separated). Default: that variable, else everyone.
   */
  allowedPeers?: readonly string[];
  /**
   * The prefix the application is mounted at. When set, SCRIPT_NAME becomes this prefix and
   * PATH_INFO the rest of the path, whatever split the front server sent (Debian's stock
   * fastcgi_params send the whole path as SCRIPT_NAME, Apache mod_proxy_fcgi likewise).
   */
  mount?: string;
  /**
   * Where `wsgi.errors` goes: `"front"` (default) sends it to the web server as FCGI_STDERR,
   * into its error log; `"local"` writes it to this server's log (stderr) instead, as PHP's
   * `fastcgi.logging = 0` does. For front servers that mishandle FCGI_STDERR (HAProxy 2.6).
   */
  errors?: ErrorsTarget;
}

/**
 * Where `wsgi.errors` goes: to the front server where the protocol carries it (FastCGI's
 * FCGI_STDERR), or to the server's own log.
 */
export type ErrorsTarget = "front" | "local";

/**
 * The FastCGI 1.0 protocol for the shared server: Responder, Authorizer and Filter roles,
 * multiplexing, management records and aborts.
 *
 * @example
 * const server = await startServer(application, { protocol: fastcgi(), listen: "unix:/run/app.sock" });
 */
export function fastcgi(options: FastCgiOptions = {}): Protocol {
  const limits: FastCgiLimits = {
    maxParamsBytes: options.maxParamsBytes ?? 1024 * 1024,
    maxRequestsPerConnection: options.maxRequestsPerConnection ?? 100,
    mount: options.mount,
    localErrors: options.errors === "local",
    values: {
      FCGI_MAX_CONNS: String(options.maxConnections ?? 1000),
      FCGI_MAX_REQS: String(options.maxRequests ?? 10000),
      FCGI_MPXS_CONNS: "1",
    },
  };
  const allowed = options.allowedPeers ?? webServerAddrs(process.env.FCGI_WEB_SERVER_ADDRS);
  return {
    name: "fastcgi",
    timeoutAnswer: TIMEOUT_ANSWER,
    handleConnection(socket: Socket, context: ServerContext): ConnectionControl {
      if (allowed && socket.remoteAddress && !allowed.includes(plain(socket.remoteAddress))) {
        context.log(
          `cgi2wsgi: fastcgi: refused a connection from ${socket.remoteAddress}, which is not in FCGI_WEB_SERVER_ADDRS\n`,
        );
        socket.destroy();
        return { busy: false, drain() {} };
      }
      return new FastCgiConnection(socket, context, limits);
    },
  };
}

/**
 * Parses `FCGI_WEB_SERVER_ADDRS` (comma-separated addresses); undefined when unset or empty.
 *
 * @example
 * webServerAddrs("127.0.0.1, 10.0.0.5"); // ["127.0.0.1", "10.0.0.5"]
 */
export function webServerAddrs(value: string | undefined): string[] | undefined {
  const list = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list.length > 0 ? list.map(plain) : undefined;
}

/** IPv4 peers of a dual-stack socket show as `::ffff:a.b.c.d`. */
function plain(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

const TIMEOUT_ANSWER = timeoutAnswer();

/**
 * The 504 a stuck worker's watchdog writes: STDOUT with the page, the empty STDOUT and
 * END_REQUEST, the request id 0 in every record header until the thread writes the real one.
 */
function timeoutAnswer(): TimeoutAnswer {
  const page = errorPage("504 Gateway Timeout");
  const head = cgiHeadText(page.status, page.headers);
  const end = { appStatus: 0, protocolStatus: ProtocolStatus.RequestComplete };
  const records = (body: Buffer[]) => {
    const bytes = encodeResponse(0, head, body, end);
    const idOffsets: number[] = [];
    for (let at = 0; at < bytes.length; at += 8 + bytes.readUInt16BE(at + 4) + bytes[at + 6]!) {
      idOffsets.push(at + 2);
    }
    return { bytes, idOffsets };
  };
  return { full: records([page.body]), head: records([]) };
}
