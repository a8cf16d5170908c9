import { deadlines, type Timed } from "./deadlines.js";
import type { Application, Body, Chunk, Environ, Headers, ResponseSink, Write } from "../types.js";
import { coalesce } from "./coalesce.js";
import { errorPage } from "./error-page.js";
import { ResponseContractError } from "./errors.js";
import { validateResponseHead } from "./headers.js";

/** How a gateway wants errors shown and logged. */
export interface RunOptions {
  /** Show tracebacks to the client in 500 pages. Off by default: they go to wsgi.errors only. */
  debug?: boolean;
  /**
   * Milliseconds the application may take for the whole response. Past it the client gets a
   * 504 (or, once headers are out, a cut-off response), `close()` is called and the returned
   * promise resolves, so the caller's concurrency slot is freed even if the application
   * never returns. Unset or 0: no limit.
   */
  timeout?: number;
  /** Where the gateway's own messages (a timeout) go. Default: `wsgi.errors`. */
  log?: (text: string) => void;
  /** Told once per request, when it is over: for access logs and the status endpoint. */
  observe?: RequestObserver;
}

/**
 * Receives each finished request: the status sent (499 when the client left before any, as
 * nginx logs it), the body bytes sent and the milliseconds from the call to the end.
 *
 * @example
 * const observe: RequestObserver = (environ, status, bytes, ms) => log(`${environ.REQUEST_METHOD} ${status} ${ms}`);
 */
export type RequestObserver = (environ: Environ, status: number, bytes: number, ms: number) => void;

type AnyIterator = Iterator<Chunk> | AsyncIterator<Chunk>;

/**
 * Calls an application for one request and sends what it answers to a protocol's sink,
 * applying every rule of the response contract (PEP 3333, adapted):
 * `start_response` validation and `excInfo`, the legacy `write()`, headers sent with the
 * first non-empty chunk, never more than Content-Length bytes, no body for HEAD, `close()`
 * exactly once, a 500 page for an error before headers and an abort after, and an early
 * stop when the client goes away (`sink.signal`), and the deadline of `options.timeout`.
 * Resolves when the response is finished, timed out or abandoned by the client (an
 * application that hangs is left behind, its output discarded); never rejects.
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

/** Bytes the write() callable may pile up for a client that does not read. */
const WRITE_BACKLOG_LIMIT = 8 * 1024 * 1024;

/**
 * Thrown by the write() callable once the response is over (the client left, the request
 * timed out, or write() piled up more than a slow client takes).
 *
 * @example
 * try { write(chunk); } catch (e) { if (e instanceof ClientGoneError) return []; throw e; }
 */
export class ClientGoneError extends Error {
  readonly code = "ERR_CLIENT_GONE";
  constructor() {
    super("the response was abandoned (client gone, timed out or not reading); stop writing");
    this.name = "ClientGoneError";
  }
}

class Responder implements Timed {
  deadline = 0;
  prevTimed: Timed | undefined = undefined;
  nextTimed: Timed | undefined = undefined;
  /** Timed out or abandoned by the client: nothing more goes to the sink. */
  private over = false;
  private settle: (() => void) | undefined;
  /** Bytes write() handed over since the sink last asked to wait for drain. */
  private backlog = 0;
  private waitingDrain = false;
  /** Waiting on the body's next(). */
  private pulling = false;
  /** The status code sent, 0 until headers go out. */
  private code = 0;
  private startedAt = 0;
  private status: string | undefined;
  private headers: Headers | undefined;
  private headersSent = false;
  private contentLength: number | undefined;
  private sent = 0;
  private readonly head: boolean;
  private closed = false;
  /** Listening to the sink's signal (a sink with onGone tells abandon() itself). */
  private listening = false;
  private body: Body | undefined;
  private iterator: AnyIterator | undefined;

  constructor(
    private readonly environ: Environ,
    private readonly sink: ResponseSink,
    private readonly options: RunOptions,
  ) {
    this.head = environ.REQUEST_METHOD === "HEAD";
  }

  run(app: Application): Promise<void> {
    const timeout = this.options.timeout;
    const { sink } = this;
    if (this.options.observe) this.startedAt = performance.now();
    // onGone first: a sink that has both makes its signal only when it is read.
    if (!timeout && !sink.onGone && !sink.signal) {
      return this.options.observe ? this.work(app).then(this.report) : this.work(app);
    }
    return new Promise<void>((resolve) => {
      this.settle = resolve;
      if (timeout) deadlines.add(this, timeout);
      // The client leaving frees the slot at once, also while the application hangs.
      if (sink.onGone) sink.onGone(this.abandon);
      else if (sink.signal?.aborted) return this.abandon();
      else {
        this.listening = true;
        sink.signal?.addEventListener("abort", this.abandon, { once: true });
      }
      void this.work(app).then(this.done);
    });
  }

  private readonly done = (): void => {
    deadlines.delete(this);
    if (this.listening) this.sink.signal?.removeEventListener("abort", this.abandon);
    if (this.settle) this.report();
    this.settle?.();
    this.settle = undefined;
  };

  private readonly report = (): void => {
    const observe = this.options.observe;
    if (!observe) return;
    const code = this.code || 499;
    try {
      observe(this.environ, code, this.sent, performance.now() - this.startedAt);
    } catch (error) {
      this.log(`cgi2wsgi: the request observer failed: ${errorText(error)}\n`);
    }
  };

  /** The deadline passed: 504 if nothing was sent, else a cut-off response. */
  expire(): void {
    if (this.over) return;
    this.over = true;
    const text = `cgi2wsgi: ${this.environ.REQUEST_METHOD} ${this.environ.REQUEST_URI ?? this.environ.PATH_INFO} ran past ${this.options.timeout} ms; answered 504 and called close()\n`;
    if (this.options.log) this.options.log(text);
    else this.log(text);
    this.closeBody();
    if (this.headersSent) this.sink.abort(new Error("the request ran past its timeout"));
    else {
      this.headersSent = true;
      const page = errorPage("504 Gateway Timeout");
      this.code = 504;
      this.sink.sendHeaders(page.status, page.headers);
      if (!this.head) this.sink.write(page.body);
      this.sink.end();
    }
    this.done();
  }

  private readonly abandon = (): void => {
    if (this.over) return;
    this.over = true;
    // A generator queues return() behind the next() it is in, so the loop closes it once
    // that settles; a close() method is called now, even if the iteration hangs.
    if (!this.pulling || typeof (this.body as { close?: unknown }).close === "function") {
      this.closeBody();
    }
    this.sink.abort(this.listening ? this.sink.signal?.reason : undefined);
    this.done();
  };

  private async work(app: Application): Promise<void> {
    try {
      let body = app(this.environ, this.startResponse);
      if (isPromise(body)) body = await body;
      this.body = body;
      // Timed out or abandoned while the application was still working: its body came too
      // late to be sent, and still gets close() (a legacy script's frees its process slot).
      if (this.over) return this.closeBody();
      if (Array.isArray(body)) {
        for (const chunk of coalesce(body)) {
          if (this.gone()) break;
          if (this.send(chunk) === false) await this.drain();
        }
      } else {
        await this.iterate(body);
      }
      if (this.gone()) {
        if (this.over) this.closeBody();
        else this.abandon();
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
    if (this.over) {
      // As gunicorn's write() raises on a broken pipe: a loop of writes must learn to stop.
      throw new ClientGoneError();
    }
    if (this.status === undefined) {
      throw new ResponseContractError(
        "ERR_WRITE_BEFORE_START",
        "write() was called before start_response",
      );
    }
    const before = this.sent;
    if (this.send(chunk) !== false && !this.waitingDrain) return;
    // write() cannot wait for a slow client, so what the sink could not send piles up; past
    // a bound the response is given up rather than the process's memory.
    this.backlog += this.sent - before;
    if (!this.waitingDrain) {
      this.waitingDrain = true;
      void this.drain().then(() => {
        this.waitingDrain = false;
        this.backlog = 0;
      });
    }
    if (this.backlog > WRITE_BACKLOG_LIMIT) {
      this.log(
        `cgi2wsgi: write() piled up ${this.backlog} bytes for a client that does not read; response abandoned (return an iterable instead, so the server can wait for the client)\n`,
      );
      this.abandon();
      throw new ClientGoneError();
    }
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
    for (let step = await this.pull(it); !step.done; step = await this.pull(it)) {
      if (this.send(step.value) === false) await this.drain();
      if (this.gone()) return;
    }
  }

  private async pull(it: AsyncIterator<Chunk>): Promise<IteratorResult<Chunk>> {
    this.pulling = true;
    try {
      return await it.next();
    } finally {
      this.pulling = false;
    }
  }

  /** Sends one chunk; `false` means the sink wants the caller to wait for drain. */
  private send(chunk: Chunk): boolean | void {
    if (this.over) return;
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
    this.code = statusCode(this.status!);
    this.sink.sendHeaders(this.status!, this.headers!);
  }

  private drain(): Promise<void> {
    return this.sink.drain ? this.sink.drain() : Promise.resolve();
  }

  private gone(): boolean {
    return this.over || (this.listening && this.sink.signal?.aborted === true);
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
    // The application stopping because write() told it the client is gone is no error.
    if (this.over && error instanceof ClientGoneError) return;
    this.log(`cgi2wsgi: application error: ${errorText(error)}\n`);
    if (this.over) return;
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
    this.code = 500;
    this.sink.sendHeaders(page.status, page.headers);
    if (!this.head) this.sink.write(page.body);
    this.sink.end();
  }

  private closeBody(): void {
    // Nothing to close yet (the application has not returned): work() closes it when it does.
    if (this.closed || this.body === undefined) return;
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

function statusCode(status: string): number {
  return (
    (status.charCodeAt(0) - 48) * 100 + (status.charCodeAt(1) - 48) * 10 + status.charCodeAt(2) - 48
  );
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
