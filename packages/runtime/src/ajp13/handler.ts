import type { Socket } from "node:net";
import { buildEnviron, type CgiMeta } from "../core/environ.js";
import { errorPage } from "../core/error-page.js";
import { createErrorStream } from "../core/errors-stream.js";
import { RequestTooLargeError } from "../core/errors.js";
import { BodyCollector } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import { disarmOnResponse } from "../server/stuck-watch.js";
import type { ConnectionControl, ServerContext } from "../server/types.js";
import { decodeBodyPacket, maxBodyChunk } from "./body.js";
import { DEFAULT_PACKET_SIZE, ServerCode } from "./constants.js";
import { AjpProtocolError } from "./errors.js";
import { decodeForwardRequest } from "./forward-request.js";
import { AjpFramer } from "./framing.js";
import { endUnlessRequestComes } from "../server/drain-grace.js";
import { lateMessage, ReadClock } from "../server/read-clock.js";
import { ajpRequestMeta } from "./meta.js";
import {
  CPONG,
  encodeBodyChunks,
  encodeEndResponse,
  encodeGetBodyChunk,
  encodeSendHeaders,
} from "./response.js";
import { ajpResponseSink } from "./sink.js";

/** Options of the AJP13 gateway. */
export interface AjpOptions {
  /** The prefix the application is mounted at: its SCRIPT_NAME (AJP carries only the URI). */
  mount?: string;
  /** The packet size, as the web server's (Apache `ProxyIOBufferSize`). Default: 8192. */
  packetSize?: number;
  /**
   * A shared secret (Apache `ProxyPass ... secret=...`): requests that do not carry it get a
   * 403, so nothing but the configured web server can forward requests.
   */
  secret?: string;
}

type State = "idle" | "body" | "running" | "closed";

// After an early answer the connection is closed; the rest of the request is read and
// dropped for a while so the web server sees the answer instead of a reset.
const LINGER_MS = 5000;

/**
 * Serves one AJP13 connection from a web server (Apache mod_proxy_ajp or mod_jk, lighttpd
 * mod_ajp13 for requests without a body): FORWARD_REQUEST, the request body
 * (the first chunk comes unasked, the rest through GET_BODY_CHUNK; a chunked body until an
 * empty packet), the application within the server's concurrency limit, then SEND_HEADERS,
 * SEND_BODY_CHUNK and END_RESPONSE with reuse, for as many requests as the web server sends.
 * CPING gets CPONG; SHUTDOWN is ignored. A malformed request gets a 400, one over the body
 * limit a 413 (and the application is not called).
 *
 * @example
 * net.createServer((socket) => handleAjpConnection(socket, context, { mount: "/app" }));
 */
export function handleAjpConnection(
  socket: Socket,
  context: ServerContext,
  options: AjpOptions = {},
): ConnectionControl {
  const packetSize = options.packetSize ?? DEFAULT_PACKET_SIZE;
  const chunkSize = maxBodyChunk(packetSize);
  let state: State = "idle";
  let busy = false;
  let draining = false;
  let received = false;
  let meta: CgiMeta = {};
  let beganAt = 0;
  let collector: BodyCollector | undefined;
  let remaining = 0;
  let chunked = false;

  const close = (): void => {
    state = "closed";
    socket.end();
    socket.setTimeout(LINGER_MS, () => socket.destroy());
  };

  const clock = new ReadClock(context, (phase) => {
    context.log(`cgi2wsgi ajp13: ${lateMessage(phase, context)}; answered 408\n`);
    // A FORWARD_REQUEST still arriving cannot be answered in AJP: only a close ends it.
    if (phase === "header") return void socket.destroy();
    answer("408 Request Timeout", false);
  });

  const release = (): void => {
    clock.stop();
    collector?.dispose();
    collector = undefined;
    busy = false;
  };

  /** A response the gateway makes itself; `reuse` only when the request was read whole. */
  const answer = (status: string, reuse: boolean): void => {
    const page = errorPage(status);
    const keep = reuse && !draining;
    socket.write(
      Buffer.concat([
        encodeSendHeaders(page.status, page.headers, packetSize),
        encodeBodyChunks(page.body, packetSize),
        encodeEndResponse(keep),
      ]),
    );
    release();
    if (keep) state = "idle";
    else close();
    const bytes = meta.REQUEST_METHOD === "HEAD" ? 0 : page.body.length;
    context.observeRefusal?.(meta, Number(status.slice(0, 3)), bytes, performance.now() - beganAt);
  };

  const run = async (): Promise<void> => {
    const environ = buildEnviron(meta, {
      latin1: true,
      input: collector!.finish(),
      errors: createErrorStream((text) => context.log(text)),
      multithread: true,
      multiprocess: context.multiprocess,
      runOnce: false,
      urlScheme: meta.HTTPS === "on" ? "https" : "http",
    });
    const sink = ajpResponseSink(socket, {
      packetSize,
      reuse: () => !draining,
      onEnd: (reused) => {
        if (reused) state = "idle";
        else close();
      },
      log: context.log,
    });
    const stuck = context.stuck;
    const token = stuck ? stuck.arm(socket, 0, meta.REQUEST_METHOD === "HEAD") : -1;
    try {
      await runApplication(context.app, environ, disarmOnResponse(sink, stuck, token), {
        debug: context.debug,
        timeout: context.requestTimeout,
        log: context.log,
        observe: context.observe,
      });
    } finally {
      stuck?.disarm(token);
      release();
      context.requestFinished();
    }
  };

  const dispatch = (): void => {
    clock.stop();
    state = "running";
    if (!context.limiter.run(run)) answer("503 Service Unavailable", true);
  };

  const onForwardRequest = (payload: Buffer): void => {
    clock.body();
    // A request that cannot be decoded is refused as the request it is, not the one before.
    meta = {};
    const request = decodeForwardRequest(payload);
    busy = true;
    meta = ajpRequestMeta(request, options.mount);
    collector = new BodyCollector({
      maxBody: context.maxBody,
      memoryThreshold: context.memoryThreshold,
    });
    const declared = meta.CONTENT_LENGTH;
    chunked = declared === undefined && /chunked/i.test(meta.HTTP_TRANSFER_ENCODING ?? "");
    remaining = declared === undefined ? 0 : Number(declared);
    const pending = remaining > 0 || chunked;
    if (declared !== undefined && !/^\d+$/.test(declared)) return answer("400 Bad Request", false);
    if (options.secret !== undefined && request.attributes.secret !== options.secret) {
      context.log("cgi2wsgi ajp13: a request without the configured secret was refused\n");
      return answer("403 Forbidden", !pending);
    }
    if (remaining > collector.maxBody) return answer("413 Content Too Large", false);
    if (!pending) return dispatch();
    state = "body";
    // mod_proxy_ajp sends the first chunk of a body of known length unasked; a chunked one
    // waits to be asked.
    if (chunked) socket.write(encodeGetBodyChunk(chunkSize));
  };

  const onBodyPacket = (payload: Buffer): void => {
    let chunk = decodeBodyPacket(payload);
    if (chunk.length === 0) {
      if (!chunked) return answer("400 Bad Request", false);
      meta.CONTENT_LENGTH = String(collector!.received);
      return dispatch();
    }
    if (!chunked && chunk.length > remaining) chunk = chunk.subarray(0, remaining);
    collector!.push(chunk);
    if (chunked) return void socket.write(encodeGetBodyChunk(chunkSize));
    remaining -= chunk.length;
    if (remaining === 0) return dispatch();
    socket.write(encodeGetBodyChunk(Math.min(remaining, chunkSize)));
  };

  const onPacket = (payload: Buffer): void => {
    if (state === "body") return guard(() => onBodyPacket(payload));
    // lighttpd's mod_ajp13 follows every FORWARD_REQUEST with a body packet, empty when there
    // is no body; it ends a body nobody asked for, so it is dropped, while answering or idle.
    if (isEmptyBodyPacket(payload)) return;
    if (state !== "idle") {
      throw new AjpProtocolError(
        "ERR_AJP_UNEXPECTED_PACKET",
        "a packet arrived while a response was being sent",
        payload.subarray(0, 32),
        0,
      );
    }
    const code = payload[0];
    if (code !== ServerCode.ForwardRequest) clock.stop();
    if (code === ServerCode.CPing) return void socket.write(CPONG);
    // A SHUTDOWN from whoever can reach the port must not stop the server.
    if (code === ServerCode.Shutdown || code === ServerCode.Ping) return;
    guard(() => onForwardRequest(payload));
  };

  /** A malformed request (as opposed to a broken stream) still gets an answer: 400. */
  const guard = (step: () => void): void => {
    try {
      step();
    } catch (error) {
      if (!(error instanceof AjpProtocolError)) throw error;
      context.log(`cgi2wsgi ajp13: ${describe(error)}\n`);
      answer("400 Bad Request", false);
    }
  };

  const framer = new AjpFramer(onPacket, { packetSize });

  socket.on("data", (chunk: Buffer) => {
    received = true;
    if (state === "closed") return;
    if (state === "idle") {
      if (context.observeRefusal && !clock.running) beganAt = performance.now();
      clock.header();
    }
    try {
      framer.execute(chunk);
    } catch (error) {
      if (error instanceof RequestTooLargeError) return answer("413 Content Too Large", false);
      context.log(`cgi2wsgi ajp13: ${describe(error)}\n`);
      state = "closed";
      release();
      socket.destroy();
    }
  });
  // mod_proxy_ajp never half-closes: an end of stream means the web server is gone (its
  // client gave up), so the connection goes now and a running application is stopped.
  socket.on("end", () => socket.destroy());
  socket.on("close", () => {
    if (state !== "running") release();
    state = "closed";
  });
  // Resets by the web server are routine; the close handler and sink's signal act on them.
  socket.on("error", () => {});

  return {
    // A request still arriving has its own deadlines and may give way to a new connection.
    get busy() {
      return busy && state === "running";
    },
    drain() {
      draining = true;
      if (busy) return;
      if (received) close();
      else endUnlessRequestComes(socket, () => !busy && state === "idle");
    },
  };
}

/** A body packet carrying no bytes: an empty payload, or a chunk length of 0 and nothing else. */
function isEmptyBodyPacket(payload: Buffer): boolean {
  return payload.length === 0 || (payload.length === 2 && payload.readUInt16BE(0) === 0);
}

function describe(error: unknown): string {
  const code = (error as { code?: string }).code;
  return code ? `${code}: ${(error as Error).message}` : String(error);
}
