import { errorPage } from "../core/error-page.js";
import type { Body, Chunk, Environ, Headers, ResponseSink, StartResponse } from "../types.js";
import type { Answer } from "./compare.js";

/**
 * Collects one response (status, headers, body bytes up to a bound) as it goes by, to be
 * compared once it is over. Past `maxBytes` it stops keeping bytes and reports `tooLarge`.
 *
 * @example
 * const capture = new ResponseCapture(1 << 20);
 * capture.start("200 OK", [["Content-Type", "text/plain"]]);
 * capture.add("hi");
 * capture.answer("GET"); // { status: "200 OK", headers: [...], body: <68 69>, origin: "script" }
 */
export class ResponseCapture {
  status = "";
  headers: Headers = [];
  tooLarge = false;
  private readonly chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  start(status: string, headers: Headers): void {
    this.status = status;
    this.headers = headers.slice();
  }

  add(chunk: Chunk): void {
    if (this.tooLarge) return;
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk);
    this.size += bytes.length;
    if (this.size > this.maxBytes) {
      this.tooLarge = true;
      this.chunks.length = 0;
      return;
    }
    this.chunks.push(bytes);
  }

  /**
   * The response as a client gets it: no body for HEAD, none past Content-Length (as the
   * server sends it), and `gateway` for the runtime's own error page.
   */
  answer(method: string): Answer {
    let body = Buffer.concat(this.chunks);
    const length = this.headers.find(([name]) => name.toLowerCase() === "content-length")?.[1];
    if (method === "HEAD") body = Buffer.alloc(0);
    else if (length !== undefined && /^\d+$/.test(length)) body = body.subarray(0, Number(length));
    const page = errorPage(this.status);
    const gateway =
      /^5/.test(this.status) &&
      body.equals(page.body) &&
      JSON.stringify(this.headers) === JSON.stringify(page.headers);
    return {
      status: this.status,
      headers: this.headers,
      body,
      origin: gateway ? "gateway" : "script",
    };
  }

  /**
   * A sink for `runApplication` that keeps what the application answers; `signal` aborting
   * ends the run as a client going away would.
   */
  sink(signal?: AbortSignal): ResponseSink {
    return {
      sendHeaders: (status, headers) => this.start(status, headers),
      write: (chunk) => this.add(chunk),
      end() {},
      abort() {},
      signal,
    };
  }
}

type AnyIterator = Iterator<Chunk> | AsyncIterator<Chunk>;

/**
 * Calls `app` for the client unchanged, while `capture` sees its status, headers, `write()`
 * calls and body chunks. `finished(complete)` runs once, when the server closes the body:
 * `complete` is false when the body failed or the client went away before its end.
 *
 * @example
 * return teeResponse(app, environ, start_response, capture, (complete) => complete && compare());
 */
export function teeResponse(
  app: (environ: Environ, start_response: StartResponse) => Body | Promise<Body>,
  environ: Environ,
  start_response: StartResponse,
  capture: ResponseCapture,
  finished: (complete: boolean) => void,
): Body {
  let result: Body | Promise<Body>;
  try {
    result = app(environ, (status, headers, excInfo) => {
      const write = start_response(status, headers, excInfo);
      capture.start(status, headers);
      return (chunk) => {
        capture.add(chunk);
        write(chunk);
      };
    });
  } catch (error) {
    finished(false);
    throw error;
  }
  return new TeeBody(result, capture, finished);
}

// An async body over the application's own: the server iterates and closes this one, and
// it passes both on, so close() still reaches the application's body exactly once.
class TeeBody implements AsyncIterable<Chunk>, AsyncIterator<Chunk> {
  private body: Body | undefined;
  private iterator: AnyIterator | undefined;
  private ended = false;
  private closed = false;

  constructor(
    private readonly result: Body | Promise<Body>,
    private readonly capture: ResponseCapture,
    private readonly finished: (complete: boolean) => void,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Chunk> {
    return this;
  }

  async next(): Promise<IteratorResult<Chunk>> {
    if (!this.iterator) {
      this.body = await this.result;
      this.iterator =
        Symbol.asyncIterator in this.body
          ? (this.body as AsyncIterable<Chunk>)[Symbol.asyncIterator]()
          : (this.body as Iterable<Chunk>)[Symbol.iterator]();
    }
    const step = await this.iterator.next();
    if (step.done) this.ended = true;
    else this.capture.add(step.value);
    return step;
  }

  async return(): Promise<IteratorResult<Chunk>> {
    await this.close();
    return { done: true, value: undefined };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.body) {
      // Closed before the application's body came (a timeout, a client gone): the response
      // is over now, whether or not the application ever returns; its body, if it comes,
      // still gets close().
      this.finished(false);
      this.body = await Promise.resolve(this.result).catch(() => undefined);
      await closeBody(this.body, undefined);
      return;
    }
    try {
      await closeBody(this.body, this.iterator);
    } finally {
      this.finished(this.ended);
    }
  }
}

/** Calls close() if the body has it, else the iterator's return(); returns what that did. */
function closeBody(body: Body | undefined, iterator: AnyIterator | undefined): unknown {
  const closable = body as { close?: () => unknown } | undefined;
  if (closable && typeof closable.close === "function") return closable.close();
  return iterator?.return?.();
}
