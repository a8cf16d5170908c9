import type { Body, Chunk } from "../types.js";
import { describe, type Report } from "./errors.js";

/** What the body wrapper tells the response side about the server's iteration. */
export interface BodyObserver {
  /** A chunk is about to reach the server. */
  chunk(value: unknown): void;
  /** The body ran to its end. */
  end(): void;
  /** The body failed or was closed: nothing more may be written. */
  finish(): void;
}

/** How long after the end of a body the server may take to call `close()`. */
export interface CloseWatch {
  report: Report;
  closeTimeout: number;
}

type Closable = { close?: () => unknown; return?: () => unknown };

// A backup for a server that drops a body half-way without closing it: the finished-body
// timer cannot see that case, garbage collection eventually can.
const abandoned = new FinalizationRegistry<BodyTracker>((tracker) => tracker.collected());

/**
 * Wraps an application's body so the server's use of it is checked: chunks in order and
 * typed, iterated once, no `next()` after `close()`, and `close()` (or the iterator's
 * `return()`) called exactly once, passed through to the application's own `close()` or
 * `return()`. Sync bodies stay sync, async bodies stay async.
 *
 * @example
 * const checked = wrapBody(app(environ, start_response), exchange, { report, closeTimeout: 1000 });
 */
export function wrapBody(body: unknown, observer: BodyObserver, watch: CloseWatch): Body {
  const sync = typeof (body as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] === "function";
  const async =
    typeof (body as Partial<AsyncIterable<unknown>> | null)?.[Symbol.asyncIterator] === "function";
  if ((!sync && !async) || typeof body === "string" || body instanceof Uint8Array) {
    watch.report(
      "body-not-iterable",
      `the application returned ${describe(body)}; return an array (e.g. [text]), an iterable or an async iterable of chunks`,
    );
    return body as Body;
  }
  const tracker = new BodyTracker(body as Body, observer, watch);
  const wrapper: Record<string | symbol, unknown> = { close: () => tracker.close() };
  // Each iterator holds the wrapper, so a server that keeps only the iterator while it
  // streams is not taken for one that dropped the body.
  if (sync) wrapper[Symbol.iterator] = () => keep(tracker.syncIterator(), wrapper);
  if (async) wrapper[Symbol.asyncIterator] = () => keep(tracker.asyncIterator(), wrapper);
  abandoned.register(wrapper, tracker, tracker);
  return wrapper as unknown as Body;
}

const OWNER = Symbol("cgi2wsgi.validator.body");

function keep<T extends object>(iterator: T, owner: object): T {
  Object.defineProperty(iterator, OWNER, { value: owner });
  return iterator;
}

class BodyTracker {
  private iterated = false;
  private closed = false;
  private pending = false;
  private over = false;
  private closeReported = false;
  private timer: NodeJS.Timeout | undefined;
  private inner: Closable | undefined;

  constructor(
    private readonly body: Body,
    private readonly observer: BodyObserver,
    private readonly watch: CloseWatch,
  ) {}

  syncIterator(): Iterator<Chunk> & Iterable<Chunk> {
    const it = this.begin((this.body as Iterable<Chunk>)[Symbol.iterator]());
    const wrapped: Iterator<Chunk> & Iterable<Chunk> = {
      next: () => {
        this.checkOpen();
        let step: IteratorResult<Chunk>;
        try {
          step = it.next();
        } catch (error) {
          this.failed();
          throw error;
        }
        return this.step(step);
      },
      return: (value?: unknown) => {
        this.close();
        return { done: true, value: value as Chunk };
      },
      [Symbol.iterator]: () => wrapped,
    };
    return wrapped;
  }

  asyncIterator(): AsyncIterator<Chunk> & AsyncIterable<Chunk> {
    const it = this.begin((this.body as AsyncIterable<Chunk>)[Symbol.asyncIterator]());
    const wrapped: AsyncIterator<Chunk> & AsyncIterable<Chunk> = {
      next: async () => {
        this.checkOpen();
        if (this.pending) {
          this.watch.report(
            "next-while-pending",
            "next() was called on the async body before the previous next() settled; await each one",
          );
        }
        this.pending = true;
        let step: IteratorResult<Chunk>;
        try {
          step = await it.next();
        } catch (error) {
          this.failed();
          throw error;
        } finally {
          this.pending = false;
        }
        return this.step(step);
      },
      return: async (value?: unknown) => {
        await this.close();
        return { done: true, value: value as Chunk };
      },
      [Symbol.asyncIterator]: () => wrapped,
    };
    return wrapped;
  }

  /** The server's one call of `close()` (or the iterator's `return()`). */
  close(): unknown {
    if (this.closed) {
      this.watch.report(
        "close-called-twice",
        "close() was called a second time; call it exactly once, after the response is done or abandoned",
      );
      return undefined;
    }
    this.closed = true;
    clearTimeout(this.timer);
    abandoned.unregister(this);
    this.observer.finish();
    const own = this.body as Closable;
    if (typeof own.close === "function") return own.close();
    const target = this.inner ?? own;
    return typeof target.return === "function" ? target.return() : undefined;
  }

  /** The garbage collector found the body, so the server dropped it; was it closed? */
  collected(): void {
    if (!this.closed) this.reportUnclosed("was dropped");
  }

  private begin<T extends Iterator<Chunk> | AsyncIterator<Chunk>>(it: T): T {
    if (this.iterated) {
      this.watch.report(
        "body-iterated-twice",
        "the body was iterated a second time; iterate it once",
      );
    }
    this.iterated = true;
    this.inner = it as Closable;
    return it;
  }

  private checkOpen(): void {
    if (this.closed) {
      this.watch.report(
        "iterate-after-close",
        "next() was called after close(); stop iterating once you close the body",
      );
    }
  }

  private step(step: IteratorResult<Chunk>): IteratorResult<Chunk> {
    if (step.done) {
      if (this.over) return step;
      this.over = true;
      this.ended();
      this.observer.end();
      return step;
    }
    this.observer.chunk(step.value);
    return step;
  }

  private failed(): void {
    this.observer.finish();
    this.ended();
  }

  /** The body is over, so `close()` must follow soon. */
  private ended(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      if (!this.closed) this.reportUnclosed(`ended ${this.watch.closeTimeout} ms ago`);
    }, this.watch.closeTimeout);
    this.timer.unref();
  }

  private reportUnclosed(when: string): void {
    if (this.closeReported) return;
    this.closeReported = true;
    this.watch.report(
      "close-not-called",
      `the body ${when} and close() was never called; call it exactly once after every response, also after errors and aborts`,
    );
  }
}
