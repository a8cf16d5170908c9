import type { Application, Body, Chunk, Environ, Headers, ResponseSink, Write } from "../types.js";
import { coalesce } from "./coalesce.js";
import { errorPage } from "./error-page.js";
import { ResponseContractError } from "./errors.js";
import { validateResponseHead } from "./headers.js";

/** How a gateway wants errors shown and logged. */
export interface RunOptions {
  /** Show tracebacks to the client in 500 pages. Off by default: they go to wsgi.errors only. */
  debug?: boolean;
}

type AnyIterator = Iterator<Chunk> | AsyncIterator<Chunk>;

/**
 * Calls an application for one request and sends what it answers to a protocol's sink,
 * applying every rule of the response contract (PEP 3333, adapted):
 * `start_response` validation and `excInfo`, the legacy `write()`, headers sent with the
 * first non-empty chunk, never more than Content-Length bytes, no body for HEAD, `close()`
 * exactly once, a 500 page for an error before headers and an abort after, and an early
 * stop when the client goes away (`sink.signal`). Resolves when the response is finished;
 * never rejects.
 *
 * @example
 * await runApplication(app, environ, {
 *   sendHeaders: (status, headers) => res.writeHead(Number(status.slice(0, 3)), headers.flat()),
 *   write: (chunk) => res.write(chunk),
 *   end: () => res.end(),
 *   abort: () => res.destroy(),
 * });
 */
export function runApplication(
  app: Application,
  environ: Environ,
  sink: ResponseSink,
  options: RunOptions = {},
): Promise<void> {
  return new Responder(environ, sink, options).run(app);
}

class Responder {
  private status: string | undefined;
  private headers: Headers | undefined;
  private headersSent = false;
  private contentLength: number | undefined;
  private sent = 0;
  private readonly head: boolean;
  private closed = false;
  private body: Body | undefined;
  private iterator: AnyIterator | undefined;

  constructor(
    private readonly environ: Environ,
    private readonly sink: ResponseSink,
    private readonly options: RunOptions,
  ) {
    this.head = environ.REQUEST_METHOD === "HEAD";
  }

  async run(app: Application): Promise<void> {
    try {
      let body = app(this.environ, this.startResponse);
      if (isPromise(body)) body = await body;
      this.body = body;
      if (Array.isArray(body)) {
        for (const chunk of coalesce(body)) {
          if (this.gone()) break;
          if (this.send(chunk) === false) await this.drain();
        }
      } else {
        await this.iterate(body);
      }
      if (this.gone()) {
        this.closeBody();
        this.sink.abort(this.sink.signal?.reason);
        return;
      }
      this.finish();
      this.closeBody();
    } catch (error) {
      this.fail(error);
    }
  }

  private readonly startResponse = (status: string, headers: Headers, excInfo?: unknown): Write => {
    if (excInfo !== undefined && excInfo !== null) {
      if (this.headersSent) throw excInfo;
    } else if (this.status !== undefined) {
      throw new ResponseContractError(
        "ERR_START_RESPONSE_AGAIN",
        "start_response was called a second time without excInfo; pass the caught error as the third argument to replace the headers",
      );
    }
    this.contentLength = validateResponseHead(status, headers);
    this.status = status;
    this.headers = headers.slice();
    return this.write;
  };

  private readonly write = (chunk: Chunk): void => {
    if (this.status === undefined) {
      throw new ResponseContractError(
        "ERR_WRITE_BEFORE_START",
        "write() was called before start_response",
      );
    }
    this.send(chunk);
  };

  private async iterate(body: Body): Promise<void> {
    const sync = (body as Iterable<Chunk>)[Symbol.iterator];
    if (typeof sync === "function") {
      const it = sync.call(body) as Iterator<Chunk>;
      this.iterator = it;
      for (let step = it.next(); !step.done; step = it.next()) {
        if (this.send(step.value) === false) await this.drain();
        if (this.gone()) return;
      }
      return;
    }
    const async = (body as AsyncIterable<Chunk>)?.[Symbol.asyncIterator];
    if (typeof async !== "function") {
      throw new ResponseContractError(
        "ERR_BODY_NOT_ITERABLE",
        `the application returned ${describe(body)}; return an array, an iterable or an async iterable of strings or Uint8Arrays`,
      );
    }
    const it = async.call(body) as AsyncIterator<Chunk>;
    this.iterator = it;
    for (let step = await it.next(); !step.done; step = await it.next()) {
      if (this.send(step.value) === false) await this.drain();
      if (this.gone()) return;
    }
  }

  /** Sends one chunk; `false` means the sink wants the caller to wait for drain. */
  private send(chunk: Chunk): boolean | void {
    if (this.status === undefined) {
      throw new ResponseContractError(
        "ERR_BODY_BEFORE_START",
        "the application produced a body chunk before calling start_response",
      );
    }
    let bytes: Uint8Array;
    if (typeof chunk === "string") bytes = Buffer.from(chunk);
    else if (chunk instanceof Uint8Array) bytes = chunk;
    else {
      throw new ResponseContractError(
        "ERR_INVALID_CHUNK",
        `body chunks must be strings or Uint8Arrays, got ${describe(chunk)}`,
      );
    }
    if (bytes.length === 0) return;
    if (!this.headersSent) this.sendHeaders();
    if (this.head) return;
    if (this.contentLength !== undefined) {
      const room = this.contentLength - this.sent;
      if (room <= 0) return;
      if (bytes.length > room) bytes = bytes.subarray(0, room);
    }
    this.sent += bytes.length;
    return this.sink.write(bytes);
  }

  private sendHeaders(): void {
    this.headersSent = true;
    this.sink.sendHeaders(this.status!, this.headers!);
  }

  private drain(): Promise<void> {
    return this.sink.drain ? this.sink.drain() : Promise.resolve();
  }

  private gone(): boolean {
    return this.sink.signal?.aborted === true;
  }

  private finish(): void {
    if (!this.headersSent) {
      if (this.status === undefined) {
        throw new ResponseContractError(
          "ERR_NO_START_RESPONSE",
          "the application returned without calling start_response",
        );
      }
      this.sendHeaders();
    }
    if (!this.head && this.contentLength !== undefined && this.sent < this.contentLength) {
      this.log(
        `cgi2wsgi: response shorter than its Content-Length (${this.sent} of ${this.contentLength} bytes); aborting it\n`,
      );
      this.sink.abort(new Error("short body"));
      return;
    }
    this.sink.end();
  }

  private fail(error: unknown): void {
    this.closeBody();
    this.log(`cgi2wsgi: application error: ${errorText(error)}\n`);
    if (this.headersSent) {
      this.sink.abort(error);
      return;
    }
    if (this.gone()) {
      this.sink.abort(error);
      return;
    }
    const page = errorPage(
      "500 Internal Server Error",
      this.options.debug ? errorText(error) : undefined,
    );
    this.headersSent = true;
    this.sink.sendHeaders(page.status, page.headers);
    if (!this.head) this.sink.write(page.body);
    this.sink.end();
  }

  private closeBody(): void {
    if (this.closed) return;
    this.closed = true;
    const body = this.body as { close?: () => unknown } | undefined;
    try {
      if (body && typeof body.close === "function") {
        settle(body.close());
      } else if (this.iterator && typeof this.iterator.return === "function") {
        settle(this.iterator.return());
      }
    } catch (error) {
      this.log(`cgi2wsgi: error in close(): ${errorText(error)}\n`);
    }
  }

  private log(text: string): void {
    try {
      this.environ["wsgi.errors"].write(text);
    } catch {
      // The error stream itself failed; there is nowhere left to report to.
    }
  }
}

function isPromise(value: unknown): value is Promise<Body> {
  return typeof (value as Promise<unknown> | undefined)?.then === "function";
}

/** Rejections from an async close() or return() must not become unhandled. */
function settle(result: unknown): void {
  if (isPromise(result)) result.catch(() => {});
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "an object";
  return typeof value;
}
