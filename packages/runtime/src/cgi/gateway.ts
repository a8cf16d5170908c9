import { readSync, writeSync } from "node:fs";
import { buildEnviron } from "../core/environ.js";
import { errorPage } from "../core/error-page.js";
import { createErrorStream } from "../core/errors-stream.js";
import { RequestTooLargeError } from "../core/errors.js";
import { formatCgiHead } from "../core/headers.js";
import { BodyCollector, type BodyLimits } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import type { Application, ResponseSink } from "../types.js";

/** Options of the CGI gateway; the defaults are the real process's. */
export interface CgiOptions extends BodyLimits {
  /** The meta-variables. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** File descriptors for the request body, the response and the error stream. */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  /** Show tracebacks in 500 pages. */
  debug?: boolean;
}

/**
 * Serves one request as a CGI program (RFC 3875): the request from the environment and
 * stdin (exactly CONTENT_LENGTH bytes; fewer is a 400 without calling the application), the response to stdout as a CGI header block and
 * body, `wsgi.errors` to stderr. It uses blocking descriptor I/O only, so a CGI start pays for
 * nothing but this file and the core it imports.
 *
 * @example
 * // cgi-bin/hello.cgi
 * import { runCgi } from "@cgi2wsgi/runtime";
 * import { application } from "../app.js";
 * await runCgi(application);
 */
export async function runCgi(app: Application, options: CgiOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const out = options.stdout ?? 1;
  const err = options.stderr ?? 2;
  const errors = createErrorStream((text) => writeFully(err, Buffer.from(text)));
  const collector = new BodyCollector(options);
  // Apache mod_cgi passes a chunked request body with no CONTENT_LENGTH, streamed to EOF.
  const untilEof =
    env.CONTENT_LENGTH === undefined && /\bchunked\b/i.test(env.HTTP_TRANSFER_ENCODING ?? "");
  const length = untilEof ? Infinity : Number(env.CONTENT_LENGTH) || 0;
  let refusal: string | undefined;
  try {
    const received = readBody(options.stdin ?? 0, length, collector);
    if (!untilEof && received < length) refusal = "400 Bad Request";
  } catch (error) {
    if ((error as { status?: number }).status !== 413) throw error;
    refusal = "413 Content Too Large";
  }
  if (refusal) {
    collector.dispose();
    const page = errorPage(refusal);
    writeFully(out, Buffer.concat([formatCgiHead(page.status, page.headers), page.body]));
    return;
  }
  const meta = untilEof ? { ...env, CONTENT_LENGTH: String(collector.received) } : env;
  const environ = buildEnviron(meta, {
    input: collector.finish(),
    errors,
    multithread: false,
    multiprocess: true,
    runOnce: true,
  });
  const sink: ResponseSink = {
    sendHeaders: (status, headers) => writeFully(out, formatCgiHead(status, headers)),
    write: (chunk) => writeFully(out, chunk),
    end() {},
    abort() {
      process.exitCode = 1;
    },
  };
  try {
    await runApplication(app, environ, sink, options);
  } finally {
    collector.dispose();
  }
}

/** Reads up to `length` bytes of body (Infinity: to EOF); returns how many came. */
function readBody(fd: number, length: number, collector: BodyCollector): number {
  if (length !== Infinity && length > collector.maxBody) {
    throw new RequestTooLargeError(collector.maxBody);
  }
  const buffer = Buffer.allocUnsafe(Math.min(length, 65536));
  let left = length;
  while (left > 0) {
    const n = retrying(() => readSync(fd, buffer, 0, Math.min(left, buffer.length), null));
    if (n === 0) break;
    collector.push(buffer.subarray(0, n));
    left -= n;
  }
  return length - left;
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += retrying(() => writeSync(fd, bytes, done));
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** A descriptor a parent left non-blocking answers EAGAIN; wait briefly and try again. */
function retrying(io: () => number): number {
  for (;;) {
    try {
      return io();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
