import type { Timed } from "../core/deadlines.js";
import type { CgiMeta } from "../core/environ.js";
import { BodyCollector } from "../core/input.js";
import type { Headers, ResponseSink } from "../types.js";
import { ProtocolStatus, RecordType } from "./constants.js";
import { streamSize, writeStream } from "./record-encoder.js";
import { cgiHeadText } from "../core/headers.js";
import { encodeResponse, type RequestEnd } from "./response-encoder.js";

/**
 * What a request needs from its connection.
 *
 * @example
 * class Connection implements RequestOwner { ... }
 */
export interface RequestOwner {
  /** Writes bytes to the socket; false when the socket's buffer is full. */
  send(bytes: Buffer): boolean;
  /** Resolves once the socket can take more, or is gone. */
  drained(): Promise<void>;
  /** The request has sent END_REQUEST (or can no longer) and leaves the connection. */
  release(request: FastCgiRequest): void;
  /** Breaks the connection off, for a response that cannot be completed cleanly. */
  destroy(): void;
  /** True when the socket is closed. */
  readonly gone: boolean;
  /** Requests on the connection, this one included. */
  readonly size: number;
  /** The request missed its header or body deadline (armed through `deadlines`). */
  late(request: FastCgiRequest): void;
}

const COMPLETE: RequestEnd = { appStatus: 0, protocolStatus: ProtocolStatus.RequestComplete };
const FAILED: RequestEnd = { appStatus: 1, protocolStatus: ProtocolStatus.RequestComplete };
const FLUSH_AT = 64 * 1024;
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

// A module-level callback with the request as its argument: no closure per request.
function flushLater(request: FastCgiRequest): void {
  request.tickFlush();
}

/**
 * One FastCGI request: the PARAMS and STDIN (and, for filters, DATA) it receives, and the
 * {@link ResponseSink} that turns the response into STDOUT records. Small writes are held
 * until the end of the current tick, so head, a short body and END_REQUEST leave in one
 * socket write; larger ones go out at once with the socket's backpressure.
 *
 * @example
 * const request = new FastCgiRequest(1, Role.Responder, true, owner);
 * await runApplication(app, environ, request);
 */
export class FastCgiRequest implements ResponseSink, Timed {
  /** Of the PARAMS, then of the body; see `deadlines`. */
  deadline = 0;
  prevTimed: Timed | undefined = undefined;
  nextTimed: Timed | undefined = undefined;
  private controller: AbortController | undefined;
  /** PARAMS content so far as latin1 (see `decodeParamsText`); undefined after the empty record. */
  params: string | undefined = "";
  paramsSize = 0;
  meta: CgiMeta | undefined;
  /** Some PARAMS byte is above 0x7f, so values need decoding as UTF-8. */
  highBytes = false;
  stdin: BodyCollector | undefined;
  /**
   * STDIN bytes still wanted: CONTENT_LENGTH, when the front server sent a valid one, less
   * what came. `wsgi.input` ends there whatever else the stream holds.
   */
  stdinWanted = Infinity;
  stdinDone = false;
  data: BodyCollector | undefined;
  dataDone = false;
  tooLarge = false;
  started = false;
  /** The peer sent ABORT_REQUEST. */
  abortedByPeer = false;
  /** When BEGIN_REQUEST came (`performance.now()`), kept only for the log of a refusal. */
  beganAt = 0;
  private head: string | undefined;
  private pending: Uint8Array[] = [];
  private pendingSize = 0;
  private flushQueued = false;
  private ended = false;
  private goneListener: (() => void) | undefined;

  constructor(
    readonly id: number,
    readonly role: number,
    readonly keepConn: boolean,
    private readonly owner: RequestOwner,
  ) {}

  /**
   * Aborted when the peer goes away or sends ABORT_REQUEST. An AbortController costs more
   * than the rest of a small request (it is an EventTarget), so one is made only on abort;
   * until then every request shares one signal that never fires.
   */
  get signal(): AbortSignal {
    return this.controller ? this.controller.signal : NEVER_ABORTED;
  }

  /** True once END_REQUEST is sent or the request was given up. */
  get finished(): boolean {
    return this.ended;
  }

  expire(): void {
    this.owner.late(this);
  }

  onGone(listener: () => void): void {
    this.goneListener = listener;
  }

  sendHeaders(status: string, headers: Headers): void {
    this.head = cgiHeadText(status, headers);
    this.queueFlush();
  }

  write(chunk: Uint8Array): boolean {
    if (this.ended || this.owner.gone) return true;
    this.pending.push(chunk);
    this.pendingSize += chunk.length;
    if (this.pendingSize >= FLUSH_AT) return this.flush();
    this.queueFlush();
    return true;
  }

  drain(): Promise<void> {
    return this.owner.drained();
  }

  end(): void {
    this.finish(COMPLETE);
  }

  abort(): void {
    if (this.ended) return;
    if (this.abortedByPeer || this.owner.gone || this.owner.size > 1) {
      // The peer asked for the abort (it wants END_REQUEST), or other requests share the
      // connection: end just this one. The app status tells the peer it is incomplete.
      this.pending = [];
      this.head = undefined;
      this.finish(FAILED);
      return;
    }
    // Front servers read a response that ends with END_REQUEST as complete; only a broken
    // connection tells them (and so the client) that it was cut short.
    this.ended = true;
    this.owner.release(this);
    this.owner.destroy();
  }

  /** Sends a whole response the gateway makes itself (413, 503), then END_REQUEST. */
  respond(status: string, headers: Headers, body: Buffer, protocolStatus: number): void {
    this.head = cgiHeadText(status, headers);
    this.pending = [body];
    this.finish({ appStatus: 0, protocolStatus });
  }

  /** Ends the request with END_REQUEST only (unknown role, cannot multiplex, peer abort). */
  endWith(appStatus: number, protocolStatus: number): void {
    this.finish({ appStatus, protocolStatus });
  }

  /** FCGI_STDERR for `wsgi.errors`; false once the request is over. */
  stderr(text: string): boolean {
    if (this.ended || this.owner.gone) return false;
    const bytes = Buffer.from(text);
    if (bytes.length === 0) return true;
    const out = Buffer.allocUnsafe(streamSize(bytes.length));
    writeStream(out, 0, RecordType.Stderr, this.id, bytes);
    this.owner.send(out);
    return true;
  }

  /** The client or the peer went away: stop the application and free the body. */
  cancel(reason: unknown): void {
    this.controller ??= new AbortController();
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.goneListener?.();
  }

  dispose(): void {
    this.stdin?.dispose();
    this.data?.dispose();
    this.stdin = this.data = undefined;
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    process.nextTick(flushLater, this);
  }

  /** The end of the tick: whatever was written in it leaves in one socket write. */
  tickFlush(): void {
    this.flushQueued = false;
    if (!this.ended) this.flush();
  }

  private flush(): boolean {
    if (this.head === undefined && this.pending.length === 0) return true;
    if (this.owner.gone) return true;
    const wire = encodeResponse(this.id, this.head, this.pending);
    this.head = undefined;
    this.pending = [];
    this.pendingSize = 0;
    return this.owner.send(wire);
  }

  private finish(end: RequestEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.owner.gone) {
      // A request refused before it produced output ends with END_REQUEST alone.
      const bare = end.protocolStatus !== ProtocolStatus.RequestComplete && this.head === undefined;
      const wire = encodeResponse(this.id, this.head, this.pending, end, !bare);
      this.head = undefined;
      this.pending = [];
      this.owner.send(wire);
    }
    this.owner.release(this);
  }
}
