import type { Socket } from "node:net";
import { Worker } from "node:worker_threads";
import type { ResponseSink } from "../types.js";

/**
 * A protocol's 504 answer, as bytes a watchdog thread can write on a connection's file
 * descriptor with no help from the stuck event loop: one for a request, one for a HEAD
 * request (no body), each with the offsets where a 16-bit request id goes (FastCGI's record
 * headers; none for the others).
 *
 * @example
 * const answer: TimeoutAnswer = { full: { bytes, idOffsets: [] }, head: { bytes: headOnly, idOffsets: [] } };
 */
export interface TimeoutAnswer {
  readonly full: { readonly bytes: Uint8Array; readonly idOffsets: readonly number[] };
  readonly head: { readonly bytes: Uint8Array; readonly idOffsets: readonly number[] };
}

// The table shared with the thread: [0] the event loop's beat, [1] 1 once stopped, then one
// slot per armed request: state (1 armed), fd, request id, HEAD.
const BEAT = 0;
const STOP = 1;
const HEADER = 2;
const SLOT = 4;

/**
 * Runs in the watchdog thread, as source text (no imports of ours: it must not wait on the
 * module loader of a process whose main thread may already be stuck). When the beat stops
 * for longer than `after`, each armed request gets the 504 bytes, with what the peer sent
 * and nobody read discarded first (unread input turns the close into a reset, which loses
 * the answer), and then the process is killed: once a 504 is out, the stuck loop must never
 * write to that connection again.
 */
const THREAD = `
const { workerData } = require("node:worker_threads");
const { readSync, writeSync } = require("node:fs");
const { table, after, interval, capacity, full, head } = workerData;
const t = new Int32Array(table);
const scratch = Buffer.alloc(65536);
let seen = Atomics.load(t, ${BEAT});
let changed = Date.now();
while (Atomics.load(t, ${STOP}) === 0) {
  Atomics.wait(t, ${STOP}, 0, interval);
  const beat = Atomics.load(t, ${BEAT});
  const now = Date.now();
  if (beat !== seen) {
    seen = beat;
    changed = now;
    continue;
  }
  if (now - changed <= after || Atomics.load(t, ${STOP}) !== 0) continue;
  let answered = 0;
  for (let slot = 0; slot < capacity; slot++) {
    const at = ${HEADER} + slot * ${SLOT};
    if (Atomics.load(t, at) !== 1) continue;
    const fd = t[at + 1];
    const id = t[at + 2];
    const template = t[at + 3] === 1 ? head : full;
    const bytes = Buffer.from(template.bytes);
    for (const offset of template.idOffsets) {
      bytes[offset] = (id >> 8) & 255;
      bytes[offset + 1] = id & 255;
    }
    try {
      for (let i = 0; i < 64 && readSync(fd, scratch) > 0; i++);
    } catch {}
    try {
      let sent = 0;
      while (sent < bytes.length) sent += writeSync(fd, bytes, sent);
      answered++;
    } catch {}
  }
  try {
    writeSync(2, "cgi2wsgi: pid " + process.pid + ": the event loop did not answer for " + (now - changed) + " ms (an application stuck in a synchronous loop?); answered " + answered + " request(s) in flight 504 and killing the process\\n");
  } catch {}
  process.kill(process.pid, "SIGKILL");
}
`;

/**
 * The watchdog of one serving process's event loop, in a thread of its own: a request in
 * flight whose response has not begun is armed with its connection's file descriptor, and
 * when the loop stops beating for `after` ms (an application stuck in a synchronous loop),
 * the thread answers every armed request 504 itself and kills the process, so a front server
 * relays a 504 instead of a reset connection (its 502). A request is armed only where the
 * 504 lands cleanly at a message boundary: nothing of its response sent, nothing else of the
 * connection's left unsent ({@link arm}).
 *
 * @example
 * const watch = StuckWatch.start(60_000, protocol.timeoutAnswer, 1000);
 * const token = watch.arm(socket, 0, false);
 * // ... headers go out:
 * watch.disarm(token);
 */
export class StuckWatch {
  private readonly table: Int32Array;
  private readonly free: number[] = [];
  /** Each slot's current token, -1 when free: a stale token disarms nothing. */
  private readonly tokens: number[] = [];
  private issued = 0;
  private readonly thread: Worker;
  private readonly beat: NodeJS.Timeout;

  private constructor(
    after: number,
    answer: TimeoutAnswer,
    private readonly capacity: number,
  ) {
    const table = new SharedArrayBuffer((HEADER + capacity * SLOT) * 4);
    this.table = new Int32Array(table);
    for (let slot = capacity - 1; slot >= 0; slot--) {
      this.free.push(slot);
      this.tokens.push(-1);
    }
    const interval = Math.max(20, Math.min(1000, Math.floor(after / 4)));
    this.thread = new Worker(THREAD, {
      eval: true,
      // Nothing of this process's loaders (tsx, conditions): the thread needs node alone.
      execArgv: [],
      workerData: { table, after, interval, capacity, full: answer.full, head: answer.head },
    });
    this.thread.unref();
    this.beat = setInterval(() => Atomics.add(this.table, BEAT, 1), interval);
    this.beat.unref();
  }

  /**
   * Starts the thread. `after`: milliseconds without a beat before it acts; `capacity`:
   * requests armed at once (one per connection at most; more are simply not armed).
   */
  static start(after: number, answer: TimeoutAnswer, capacity: number): StuckWatch {
    return new StuckWatch(after, answer, capacity);
  }

  /**
   * Arms a request running on `socket` (`id`: FastCGI's request id, else 0); returns its
   * token, or -1 when it cannot be answered cleanly: no file descriptor, or bytes of the
   * connection still waiting in this process to be written (a 504 would land inside them).
   * The caller must {@link disarm} it before anything of its response is written, and the
   * connection must carry no other writes while it is armed.
   */
  arm(socket: Socket | null, id: number, head: boolean): number {
    if (!socket || socket.writableLength > 0) return -1;
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (fd === undefined || fd < 0) return -1;
    const slot = this.free.pop();
    if (slot === undefined) return -1;
    const token = ++this.issued * this.capacity + slot;
    this.tokens[slot] = token;
    const at = HEADER + slot * SLOT;
    this.table[at + 1] = fd;
    this.table[at + 2] = id;
    this.table[at + 3] = head ? 1 : 0;
    Atomics.store(this.table, at, 1);
    return token;
  }

  /** Takes an armed request out; harmless for -1 or a token already disarmed. Returns -1. */
  disarm(token: number): number {
    if (token < 0) return -1;
    const slot = token % this.capacity;
    if (this.tokens[slot] !== token) return -1;
    this.tokens[slot] = -1;
    Atomics.store(this.table, HEADER + slot * SLOT, 0);
    this.free.push(slot);
    return -1;
  }

  /** Stops the thread and the beat (the server closed). */
  stop(): void {
    clearInterval(this.beat);
    Atomics.store(this.table, STOP, 1);
    Atomics.notify(this.table, STOP);
  }
}

/**
 * Makes `sink` disarm `token` as its headers are given, before any byte of the response can
 * leave, and as it is given up (the client gone: its socket, and so its descriptor, closed).
 * For sinks that are plain per-request objects (HTTP, SCGI, AJP13).
 *
 * @example
 * const sink = disarmOnResponse(httpResponseSink(res), watch, watch.arm(res.socket, 0, false));
 */
export function disarmOnResponse(
  sink: ResponseSink,
  watch: StuckWatch | undefined,
  token: number,
): ResponseSink {
  if (!watch || token < 0) return sink;
  const { sendHeaders, abort } = sink;
  sink.sendHeaders = (status, headers) => {
    watch.disarm(token);
    sendHeaders.call(sink, status, headers);
  };
  sink.abort = (reason) => {
    watch.disarm(token);
    abort.call(sink, reason);
  };
  return sink;
}

/**
 * A {@link TimeoutAnswer} of a head and a body with no request id in them (HTTP, SCGI,
 * AJP13): the head alone for HEAD requests.
 *
 * @example
 * const answer = plainAnswer(Buffer.from("Status: 504 Gateway Timeout\r\n\r\n"), page.body);
 */
export function plainAnswer(head: Uint8Array, body: Uint8Array, tail?: Uint8Array): TimeoutAnswer {
  const end = tail ?? new Uint8Array(0);
  return {
    full: { bytes: Buffer.concat([head, body, end]), idOffsets: [] },
    head: { bytes: Buffer.concat([head, end]), idOffsets: [] },
  };
}
