import { inspect } from "node:util";
import { BLANK_LINE, CgiHeaderParser } from "../cgi-output/header-parser.js";
import { CgiOutputError } from "../cgi-output/errors.js";
import { errorPage } from "../core/error-page.js";
import type { Body, Environ, StartResponse } from "../types.js";
import type { Scope } from "./request-process.js";
import { isOver, outside, trackState, untrack, within, type TrackedScript } from "./tracker.js";

// Output queued for the client beyond which the script's writes wait, as a CGI process
// waits on a full pipe (64 KiB on Linux).
const QUEUE_LIMIT = 64 * 1024;
// How much text may wait for the blank line before the parser sees it (and refuses a
// block over its 8 KiB).
const HEAD_TEXT_LIMIT = 8192;

/** Thrown by `exit()` to unwind the script's stack; never seen by anyone else. */
export class ScriptExit {
  constructor(readonly code: number) {}
}

/**
 * One request of a migrated script, run the way a CGI server runs a process: its output is
 * parsed as CGI output (RFC 3875 section 6) and the response ends when the script exits or
 * has no work left, as the process would have exited.
 */
export class ScriptRun implements TrackedScript {
  readonly pending = new Map<number, { type: string; resource: object }>();
  readonly tracking = trackState();
  /** The request as helper modules see it (requestProcess), set by bindScope. */
  scope: Scope | undefined = undefined;
  ended = false;
  exitCode: number | undefined;
  readonly exitListeners: Array<(code: number) => void> = [];
  readonly errorListeners: Array<(error: unknown) => void> = [];
  private readonly parser: CgiHeaderParser;
  private readonly queue: Array<Buffer | string> = [];
  private queued = 0;
  /** Some chunk in the queue is bytes, not text. */
  private queuedBytes = false;
  private headText = "";
  /** The script's stdout waits for this call: its output is over QUEUE_LIMIT. */
  private held: (() => void) | undefined;
  private wrote = false;
  private crashed = false;
  private started = false;
  private checkScheduled = false;
  private answerScheduled = false;
  private finishing = false;
  private wake: (() => void) | undefined;
  private answer: ((body: Body) => void) | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private timeoutMs = 0;
  readonly response: Promise<Body>;

  constructor(
    private readonly environ: Environ,
    private readonly startResponse: StartResponse,
    nph: boolean,
  ) {
    this.parser = new CgiHeaderParser({ nph });
    this.response = new Promise((resolve) => (this.answer = resolve));
  }

  /**
   * Bytes the script wrote to stdout (a string: its UTF-8); `done` lets it write more,
   * called at once unless the client has not taken what came before.
   */
  output(bytes: Buffer | string, done: () => void = noop): void {
    this.take(bytes);
    // Once the script is exiting its output must all be taken, as the process's would be.
    if (this.queued < QUEUE_LIMIT || this.ended || this.finishing) done();
    else this.held = done;
  }

  private take(bytes: Buffer | string): void {
    if (this.ended || bytes.length === 0) return;
    this.wrote = true;
    // Text after the header block stays text: the server encodes the whole body once.
    if (this.parser.complete) return this.push(bytes);
    let head;
    try {
      if (typeof bytes === "string") {
        // Header lines printed one by one are gathered and parsed once the blank line came.
        this.headText += bytes;
        if (!BLANK_LINE.test(this.headText) && this.headText.length <= HEAD_TEXT_LIMIT) return;
        const text = this.headText;
        this.headText = "";
        head = this.parser.executeText(text);
      } else {
        if (this.headText !== "") {
          bytes = Buffer.concat([Buffer.from(this.headText), bytes]);
          this.headText = "";
        }
        head = this.parser.execute(bytes);
      }
    } catch (error) {
      if (!(error instanceof CgiOutputError)) throw error;
      return this.fail("502 Bad Gateway", error.message);
    }
    if (!head) return;
    this.startResponse(head.status, head.headers);
    // A script still in its synchronous part may finish there: started_() answers then,
    // with the whole body at once instead of a stream. One in a callback may finish in
    // it: the answer waits for the callback to return, so that such a script's response
    // is one write too.
    if (this.started) this.respondSoon();
    this.push(head.body);
  }

  /** Whether output can go to the queue now, without waiting behind held writes. */
  get accepting(): boolean {
    return !this.held && this.queued < QUEUE_LIMIT;
  }

  /**
   * Gives the script `ms` milliseconds, as a CGI server's timeout does: then its request
   * ends (504 if it printed no header block yet) and its pending work is dropped.
   */
  limit(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.timeoutMs = ms;
  }

  // The timer starts only once the synchronous part is over and the script is still at
  // work: most scripts are done by then, and could not be stopped inside it anyway.
  private startClock(): void {
    const ms = this.timeoutMs;
    if (ms === 0 || this.ended) return;
    this.deadline = outside(() => setTimeout(() => this.expire(ms), ms).unref());
  }

  private expire(ms: number): void {
    if (this.ended) return;
    if (!this.parser.complete)
      return this.fail("504 Gateway Timeout", `the script ran over ${ms} ms`);
    this.environ["wsgi.errors"].write(
      `cgi2wsgi: the script ran over ${ms} ms; its response was cut there\n`,
    );
    this.close();
  }

  /** The synchronous part of the script returned (or its promise settled). */
  started_(): void {
    this.started = true;
    this.settle();
    if (this.parser.complete) this.respond(this.ended ? this.rest() : this.body());
    this.startClock();
  }

  private respondSoon(): void {
    if (this.answerScheduled) return;
    this.answerScheduled = true;
    outside(() => queueMicrotask(() => this.respond(this.ended ? this.rest() : this.body())));
  }

  private respond(body: Body): void {
    const answer = this.answer;
    this.answer = undefined;
    answer?.(body);
  }

  /** `later`: called from a hook, where the script's exit listeners must not run yet. */
  settle(later = false): void {
    if (this.ended || !this.started) return;
    // Nothing pending and no promise made: no code of the script can run again, so it is
    // done now, as a process with an empty event loop exits (also with a check scheduled:
    // a script whose last tick just ran is answered before the next phase of the loop).
    const plain = !this.held && !this.tracking.promised;
    if (plain && this.pending.size === 0 && !later) return this.finish();
    if (this.checkScheduled) return;
    // Ticks end only by running, and each one settles again when it has run: a script
    // waiting on ticks alone (stdin's events) needs no check.
    if (plain && !later && this.onlyTicks()) return;
    this.checkScheduled = true;
    // After the current callback and its microtasks: they may still schedule more work.
    outside(() =>
      setImmediate(() => {
        this.checkScheduled = false;
        if (!this.ended && !this.busy()) this.finish();
      }),
    );
  }

  private onlyTicks(): boolean {
    for (const entry of this.pending.values()) if (entry.type !== "TickObject") return false;
    return true;
  }

  crash(error: unknown): void {
    if (error instanceof ScriptExit || this.ended) return;
    // The script's own 'uncaughtException' handlers take the error, as in the process.
    if (this.errorListeners.length > 0) {
      try {
        for (const listener of [...this.errorListeners]) listener(error);
        return this.settle();
      } catch (failure) {
        if (failure instanceof ScriptExit) return;
        error = failure;
      }
    }
    this.crashed = true;
    this.environ["wsgi.errors"].write(`${inspect(error)}\n`);
    this.finish(1);
  }

  /** Ends the request as the process would exit: exit listeners, then the response. */
  finish(code?: number): void {
    // exit() inside an exit listener must not end the request a second time.
    if (this.ended || this.finishing) return;
    this.finishing = true;
    // Writes still waiting in stdout come first: the process's output was all written.
    this.release();
    const status = code ?? this.exitCode ?? 0;
    for (const listener of this.exitListeners.splice(0)) {
      try {
        // In the script's context, so what the listener reaches (requestProcess) is this request.
        within(this, () => listener(status));
      } catch (error) {
        if (!(error instanceof ScriptExit))
          this.environ["wsgi.errors"].write(`${inspect(error)}\n`);
      }
    }
    // Text still waiting for a blank line goes to the parser, to be refused with the reason.
    const rest = this.headText;
    this.headText = "";
    if (rest !== "") this.take(Buffer.from(rest));
    if (this.ended) return;
    if (this.parser.complete) return this.close();
    if (!this.wrote && (status !== 0 || this.crashed)) {
      return this.fail("500 Internal Server Error", `the script exited with ${status}`);
    }
    const problem = this.parser.endError();
    this.fail("502 Bad Gateway", problem ? problem.message : "the script wrote no header block");
  }

  /** The client went away, or the response is over: stop the script's pending work. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.deadline);
    for (const { type, resource } of this.pending.values()) {
      if (type === "Timeout") clearTimeout(resource as NodeJS.Timeout);
      else if (type === "Immediate") clearImmediate(resource as NodeJS.Immediate);
    }
    untrack(this);
    this.release();
    this.wake?.();
  }

  /** Lets the script's stdout go on, in the script's context so its work stays counted. */
  private release(): void {
    for (let held = this.held; held; held = this.held) {
      this.held = undefined;
      if (this.ended) held();
      else within(this, held);
    }
  }

  private fail(status: string, reason: string): void {
    this.environ["wsgi.errors"].write(`cgi2wsgi: ${status.slice(0, 3)} because ${reason}\n`);
    this.close();
    const page = errorPage(status);
    this.startResponse(page.status, page.headers);
    this.respond([page.body]);
  }

  private busy(): boolean {
    // Output waiting for the client is work, as a process blocked writing to its pipe.
    if (this.held) return true;
    for (const [id, entry] of this.pending) {
      if (isOver(entry)) {
        this.pending.delete(id);
        continue;
      }
      const { type, resource } = entry;
      if (type === "ZLIB") {
        if (zlibWorking(resource)) return true;
        continue;
      }
      const ref = (resource as { hasRef?: () => boolean }).hasRef;
      if (typeof ref !== "function" || ref.call(resource)) return true;
    }
    return false;
  }

  private push(bytes: Buffer | string): void {
    if (bytes.length === 0) return;
    this.queue.push(bytes);
    if (typeof bytes === "string") this.queued += Buffer.byteLength(bytes);
    else {
      this.queued += bytes.length;
      this.queuedBytes = true;
    }
    this.wake?.();
  }

  // What is queued, as one chunk.
  private drain(): Buffer | string {
    const chunks = this.queue.splice(0);
    const bytes = this.queuedBytes;
    this.queued = 0;
    this.queuedBytes = false;
    if (chunks.length === 1) return chunks[0]!;
    if (!bytes) return chunks.join("");
    return Buffer.concat(
      chunks.map((chunk) => (typeof chunk === "string" ? Buffer.from(chunk) : chunk)),
    );
  }

  // The body of a script that finished in its synchronous part: all of it, in one chunk.
  private rest(): Array<Buffer | string> {
    return this.queue.length > 0 ? [this.drain()] : [];
  }

  private async *body(): AsyncGenerator<Buffer | string> {
    try {
      for (;;) {
        if (this.queue.length > 0) {
          yield this.drain();
          continue;
        }
        // The client took everything: the script may write again (and may be done after).
        if (this.held) {
          this.release();
          this.settle();
          continue;
        }
        if (this.ended) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
    } finally {
      this.close();
    }
  }
}

// A zlib handle lives until garbage collection: it is work only while a write is queued
// (`buffer` set) on a stream that has not failed or been destroyed since.
function zlibWorking(handle: object): boolean {
  if ((handle as { buffer?: unknown }).buffer == null) return false;
  const owner = Object.getOwnPropertySymbols(handle).find((s) => s.description === "owner_symbol");
  const stream = owner && (handle as Record<symbol, { destroyed?: boolean } | undefined>)[owner];
  return !stream?.destroyed;
}

function noop(): void {}
