import type { Socket } from "node:net";
import { buildEnviron, type CgiMeta } from "../core/environ.js";
import { errorPage } from "../core/error-page.js";
import { createErrorStream } from "../core/errors-stream.js";
import { RequestTooLargeError } from "../core/errors.js";
import { formatCgiHead } from "../core/headers.js";
import { BodyCollector } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import { disarmOnResponse } from "../server/stuck-watch.js";
import type { ConnectionControl, ServerContext } from "../server/types.js";
import { ScgiHeadersTooLargeError, ScgiProtocolError } from "./errors.js";
import { applyMount } from "../core/script-path.js";
import { endUnlessRequestComes } from "../server/drain-grace.js";
import { lateMessage, ReadClock } from "../server/read-clock.js";
import { ScgiParser, type ScgiParserOptions } from "./parser.js";
import { cgiSocketSink } from "./sink.js";

/** Options of the SCGI gateway. */
export interface ScgiOptions extends ScgiParserOptions {
  /**
   * The prefix the application is mounted at. When set, SCRIPT_NAME becomes this prefix and
   * PATH_INFO the rest of the path, whatever split the front server sent.
   */
  mount?: string;
}

// After an early answer (400, 413, 503) the rest of the request is read and dropped for a
// while, so the front server sees the answer instead of a reset connection.
const LINGER_MS = 5000;

/**
 * Serves one SCGI connection (one request, as the SCGI spec has it): parses the header
 * netstring, collects CONTENT_LENGTH bytes of body (413 beyond the server's limit, without
 * calling the application) within the header and body deadlines (408 past them), runs the
 * application within the server's concurrency limit (a slot is taken once the body is in) and
 * writes a CGI-style response. Malformed requests get a 400 (431 for oversized headers) and
 * are logged with the offending bytes. The server must listen with `allowHalfOpen: true`, as
 * some SCGI clients shut down their sending side once the request is written.
 *
 * @example
 * net.createServer({ allowHalfOpen: true }, (socket) => handleScgiConnection(socket, context));
 */
export function handleScgiConnection(
  socket: Socket,
  context: ServerContext,
  options: ScgiOptions = {},
): ConnectionControl {
  let busy = false;
  let state: "reading" | "running" | "answered" = "reading";
  let meta: CgiMeta = {};
  let beganAt = 0;
  const collector = new BodyCollector({
    maxBody: context.maxBody,
    memoryThreshold: context.memoryThreshold,
  });

  const clock = new ReadClock(context, (phase) => {
    context.log(`cgi2wsgi scgi: ${lateMessage(phase, context)}; answered 408\n`);
    answer("408 Request Timeout");
  });
  const stopClock = (): void => clock.stop();

  const answer = (status: string): void => {
    stopClock();
    state = "answered";
    busy = false;
    collector.dispose();
    const page = errorPage(status);
    socket.end(Buffer.concat([formatCgiHead(page.status, page.headers), page.body]));
    socket.setTimeout(LINGER_MS, () => socket.destroy());
    const bytes = meta.REQUEST_METHOD === "HEAD" ? 0 : page.body.length;
    const ms = performance.now() - beganAt;
    context.observeRefusal?.(meta, Number(status.slice(0, 3)), bytes, ms);
  };

  const fail = (error: unknown): void => {
    if (error instanceof RequestTooLargeError) return answer("413 Content Too Large");
    if (error instanceof ScgiHeadersTooLargeError) {
      context.log(`cgi2wsgi scgi: ${error.message}\n`);
      return answer("431 Request Header Fields Too Large");
    }
    if (error instanceof ScgiProtocolError) {
      context.log(`cgi2wsgi scgi: ${error.code}: ${error.message}\n`);
      return answer("400 Bad Request");
    }
    context.log(`cgi2wsgi scgi: reading the request failed: ${String(error)}\n`);
    answer("500 Internal Server Error");
  };

  const run = async (): Promise<void> => {
    const environ = buildEnviron(meta, {
      latin1: true,
      input: collector.finish(),
      errors: createErrorStream((text) => context.log(text)),
      multithread: true,
      multiprocess: context.multiprocess,
      runOnce: false,
    });
    const stuck = context.stuck;
    const token = stuck ? stuck.arm(socket, 0, meta.REQUEST_METHOD === "HEAD") : -1;
    try {
      await runApplication(
        context.app,
        environ,
        disarmOnResponse(cgiSocketSink(socket), stuck, token),
        {
          debug: context.debug,
          timeout: context.requestTimeout,
          log: context.log,
          observe: context.observe,
        },
      );
    } finally {
      stuck?.disarm(token);
      collector.dispose();
      busy = false;
      context.requestFinished();
    }
  };

  const parser = new ScgiParser(
    {
      onHead(headers, contentLength) {
        for (const [name, value] of headers) meta[name] = value;
        meta = applyMount(meta, options.mount);
        if (contentLength > collector.maxBody) throw new RequestTooLargeError(collector.maxBody);
        clock.body();
      },
      onBody: (chunk) => collector.push(chunk),
      onComplete() {
        stopClock();
        state = "running";
        if (!context.limiter.run(run)) answer("503 Service Unavailable");
      },
    },
    options,
  );

  socket.on("data", (chunk: Buffer) => {
    if (state !== "reading") return;
    if (!busy) {
      busy = true;
      if (context.observeRefusal) beganAt = performance.now();
      clock.header();
    }
    try {
      parser.execute(chunk);
    } catch (error) {
      fail(error);
    }
  });
  socket.on("end", () => {
    if (state !== "reading") return;
    try {
      parser.finish();
    } catch (error) {
      context.log(`cgi2wsgi scgi: ${(error as Error).message}\n`);
    }
    state = "answered";
    collector.dispose();
    socket.destroy();
  });
  socket.on("close", () => {
    stopClock();
    if (state === "reading") collector.dispose();
  });
  // Resets by the front server are routine; the close handler and sink's signal act on them.
  socket.on("error", () => {});

  return {
    // A request still arriving has its own deadlines and may give way to a new connection.
    get busy() {
      return busy && state === "running";
    },
    drain() {
      // One request per connection: once it began, the connection closes after it.
      if (!busy && state === "reading") endUnlessRequestComes(socket, () => !busy);
    },
  };
}
