import { isAscii } from "node:buffer";
import type { Socket } from "node:net";
import { adoptEnviron } from "../core/environ.js";
import { errorPage } from "../core/error-page.js";
import { metaFromPairs } from "../core/meta-shape.js";
import { waitForDrain } from "../core/drain.js";
import { createErrorStream } from "../core/errors-stream.js";
import { BodyCollector, inputFromBuffer } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import { applyMount } from "../core/script-path.js";
import { deadlines } from "../core/deadlines.js";
import { readDirect } from "../server/direct-read.js";
import { endUnlessRequestComes } from "../server/drain-grace.js";
import { lateMessage, ReadClock } from "../server/read-clock.js";
import type { ConnectionControl, ServerContext } from "../server/types.js";
import {
  FLAG_KEEP_CONN,
  MANAGEMENT_REQUEST_ID,
  ProtocolStatus,
  RecordType,
  Role,
} from "./constants.js";
import { FastCgiProtocolError, excerpt } from "./errors.js";
import { managementReply } from "./management.js";
import { decodePairs } from "./name-value.js";
import { RecordParser } from "./record-parser.js";
import { FastCgiRequest, type RequestOwner } from "./request.js";

/**
 * Bounds and advertised values of one FastCGI connection.
 *
 * @example
 * const limits: FastCgiLimits = { maxParamsBytes: 1 << 20, maxRequestsPerConnection: 100,
 *   values: { FCGI_MAX_CONNS: "1000", FCGI_MAX_REQS: "10000", FCGI_MPXS_CONNS: "1" } };
 */
export interface FastCgiLimits {
  /** Largest PARAMS stream of one request, in bytes. */
  maxParamsBytes: number;
  /** Requests multiplexed on one connection at once; more get FCGI_CANT_MPX_CONN. */
  maxRequestsPerConnection: number;
  /** Mount prefix applied to SCRIPT_NAME and PATH_INFO, see `applyMount`. */
  mount?: string;
  /** Write `wsgi.errors` to the server's own log instead of sending it as FCGI_STDERR. */
  localErrors?: boolean;
  /** Values answered to FCGI_GET_VALUES. */
  values: { FCGI_MAX_CONNS: string; FCGI_MAX_REQS: string; FCGI_MPXS_CONNS: string };
}

const ROLE_NAMES: Record<number, string> = {
  [Role.Responder]: "RESPONDER",
  [Role.Authorizer]: "AUTHORIZER",
  [Role.Filter]: "FILTER",
};
const EMPTY = Buffer.alloc(0);
// Scratch lists for decoding PARAMS, used synchronously and reused by every request.
const NAMES: string[] = [];
const VALUES: string[] = [];

/**
 * Serves FastCGI on one accepted connection: records in any split, multiplexed requests,
 * management records, aborts, and the response through the shared response machinery.
 *
 * @example
 * server.on("connection", (socket) => new FastCgiConnection(socket, context, limits));
 */
export class FastCgiConnection implements ConnectionControl, RequestOwner {
  private readonly parser = new RecordParser((type, id, content) =>
    this.onRecord(type, id, content),
  );
  private readonly requests = new Map<number, FastCgiRequest>();
  private draining = false;
  private peerEnded = false;
  private received = false;
  /** PARAMS bytes of every request still sending them: bounded per connection, not per id. */
  private paramsPending = 0;
  private paused = false;
  private replies: Buffer[] = [];
  /** The watchdog's token of the one request armed on this connection, or -1. */
  private armed = -1;
  /** Bytes arrived while no request was open: a BEGIN_REQUEST must complete in time. */
  private readonly clock: ReadClock;

  constructor(
    private readonly socket: Socket,
    private readonly context: ServerContext,
    private readonly limits: FastCgiLimits,
  ) {
    this.clock = new ReadClock(context, () => {
      context.log(
        `cgi2wsgi: fastcgi: closing connection from ${peer(socket)}: a record did not arrive within ${context.headerTimeout} ms\n`,
      );
      socket.destroy();
    });
    socket.setNoDelay(true);
    const onData = (chunk: Buffer): void => this.onData(chunk);
    if (!readDirect(socket, onData)) socket.on("data", onData);
    socket.on("end", () => this.onEnd());
    socket.on("error", () => {});
    socket.on("close", () => this.onClose());
  }

  /**
   * True while a request runs. One still arriving does not count, so the idle timeout also
   * ends a peer that began a request and then stalled.
   */
  get busy(): boolean {
    for (const request of this.requests.values()) if (request.started) return true;
    return false;
  }

  get gone(): boolean {
    return this.socket.destroyed;
  }

  get size(): number {
    return this.requests.size;
  }

  drain(): void {
    this.draining = true;
    if (this.requests.size > 0) return;
    if (this.received) return void this.socket.end();
    endUnlessRequestComes(this.socket, () => this.requests.size === 0);
  }

  send(bytes: Buffer): boolean {
    if (this.armed >= 0) this.armed = this.context.stuck!.disarm(this.armed);
    return this.socket.write(bytes);
  }

  drained(): Promise<void> {
    return waitForDrain(this.socket);
  }

  release(request: FastCgiRequest): void {
    deadlines.delete(request);
    if (request.params !== undefined) this.paramsPending -= request.paramsSize;
    if (this.requests.get(request.id) === request) this.requests.delete(request.id);
    if (this.requests.size > 0 || this.socket.destroyed) return;
    if (!request.keepConn || this.draining || this.peerEnded) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  late(request: FastCgiRequest): void {
    if (request.started || request.finished) return;
    const phase = request.params === undefined ? "body" : "header";
    this.context.log(
      `cgi2wsgi: fastcgi: request ${request.id} from ${peer(this.socket)}: ${lateMessage(phase, this.context)}; answered 408\n`,
    );
    request.started = true;
    request.dispose();
    this.refuse(request, "408 Request Timeout", ProtocolStatus.RequestComplete);
  }

  /** Answers a request with a page of the gateway's own, which the access log and status see. */
  private refuse(request: FastCgiRequest, status: string, protocolStatus: number): void {
    const page = errorPage(status);
    request.respond(page.status, page.headers, page.body, protocolStatus);
    const ms = performance.now() - request.beganAt;
    const bytes = request.meta?.REQUEST_METHOD === "HEAD" ? 0 : page.body.length;
    this.context.observeRefusal?.(request.meta ?? {}, Number(status.slice(0, 3)), bytes, ms);
  }

  private onData(chunk: Buffer): void {
    this.received = true;
    if (this.requests.size === 0) this.clock.header();
    try {
      this.parser.execute(chunk);
      if (this.replies.length > 0) this.flushReplies();
    } catch (error) {
      if (!(error instanceof FastCgiProtocolError)) throw error;
      this.context.log(
        `cgi2wsgi: fastcgi: closing connection from ${peer(this.socket)}: ${error.code}: ${error.message}\n`,
      );
      this.socket.destroy();
    }
  }

  private onEnd(): void {
    this.peerEnded = true;
    // Front servers never half-close a FastCGI connection (nginx, Apache, lighttpd and
    // HAProxy close it whole when their client gives up), so an end of stream means nobody
    // reads the answers: stop the applications now instead of when they next write.
    for (const request of this.requests.values()) {
      if (request.started) request.cancel(new Error("the front server closed the connection"));
    }
    if (!this.busy) this.socket.end();
  }

  private onClose(): void {
    this.clock.stop();
    // The descriptor is closed: nothing may be written to its number any more.
    if (this.armed >= 0) this.armed = this.context.stuck!.disarm(this.armed);
    for (const request of this.requests.values()) {
      deadlines.delete(request);
      request.cancel(new Error("the front server closed the connection"));
      if (!request.started) request.dispose();
    }
    this.requests.clear();
  }

  private onRecord(type: number, id: number, content: Buffer): void {
    if (this.socket.destroyed) return;
    if (id === MANAGEMENT_REQUEST_ID) {
      if (this.requests.size === 0) this.clock.stop();
      return this.reply(managementReply(type, content, this.limits.values));
    }
    switch (type) {
      case RecordType.BeginRequest:
        return this.begin(id, content);
      case RecordType.Params:
        return this.params(id, content);
      case RecordType.Stdin:
        return this.input(id, content, false);
      case RecordType.Data:
        return this.input(id, content, true);
      case RecordType.AbortRequest:
        return this.abortRequest(id);
      default:
        this.reply(managementReply(type, content, this.limits.values));
    }
  }

  /**
   * An answer to a management or unknown record, written with the others of the same read.
   * A peer that sends them without reading the answers would make this process buffer
   * without bound (10 MB of 8-byte records asks for 20 MB of replies), so reading stops
   * until the answers are taken.
   */
  private reply(bytes: Buffer): void {
    this.replies.push(bytes);
  }

  private flushReplies(): void {
    const replies = this.replies;
    this.replies = [];
    if (this.armed >= 0) this.armed = this.context.stuck!.disarm(this.armed);
    const ok = this.socket.write(replies.length === 1 ? replies[0]! : Buffer.concat(replies));
    if (ok || this.paused || this.socket.destroyed) return;
    this.paused = true;
    this.socket.pause();
    this.socket.once("drain", () => {
      this.paused = false;
      this.socket.resume();
    });
  }

  private begin(id: number, content: Buffer): void {
    if (content.length < 8) {
      throw new FastCgiProtocolError(
        "ERR_FCGI_BEGIN_REQUEST",
        `BEGIN_REQUEST for request ${id} has ${content.length} bytes of body, 8 are needed`,
        excerpt(content),
      );
    }
    if (this.requests.has(id)) {
      throw new FastCgiProtocolError(
        "ERR_FCGI_DUPLICATE_ID",
        `BEGIN_REQUEST for request ${id}, which is still active; the front server must wait for END_REQUEST before reusing an id`,
        excerpt(content),
      );
    }
    const role = (content[0]! << 8) | content[1]!;
    const request = new FastCgiRequest(id, role, (content[2]! & FLAG_KEEP_CONN) !== 0, this);
    this.requests.set(id, request);
    if (this.context.observeRefusal) request.beganAt = performance.now();
    this.clock.stop();
    if (this.context.headerTimeout > 0) deadlines.add(request, this.context.headerTimeout);
    if (ROLE_NAMES[role] === undefined) {
      request.endWith(0, ProtocolStatus.UnknownRole);
    } else if (this.requests.size > this.limits.maxRequestsPerConnection) {
      request.endWith(0, ProtocolStatus.CantMpxConn);
    }
  }

  private params(id: number, content: Buffer): void {
    const request = this.requests.get(id);
    if (request?.params === undefined) return; // ignored: a request that was ended or never begun
    if (content.length > 0) {
      request.paramsSize += content.length;
      this.paramsPending += content.length;
      if (this.paramsPending > this.limits.maxParamsBytes) {
        const many =
          request.paramsSize < this.paramsPending
            ? " (all requests on the connection still sending theirs)"
            : "";
        throw new FastCgiProtocolError(
          "ERR_FCGI_PARAMS_TOO_LARGE",
          `PARAMS of request ${id}${many} exceed ${this.limits.maxParamsBytes} bytes; raise maxParamsBytes if the front server really sends that much`,
          excerpt(content),
        );
      }
      // Decoded at once (the socket's read buffer is reused); latin1 keeps byte offsets, so
      // a pair split across records joins up in the string.
      request.params += content.toString("latin1");
      // Checked natively on the bytes: only then must values be decoded as UTF-8.
      if (!request.highBytes && !isAscii(content)) request.highBytes = true;
      return;
    }
    const text = request.params;
    request.params = undefined;
    this.paramsPending -= request.paramsSize;
    const count = decodePairs(text, NAMES, VALUES);
    request.meta = metaFromPairs(NAMES, VALUES, count);
    request.meta.FCGI_ROLE = ROLE_NAMES[request.role]!;
    if (this.context.bodyTimeout > 0) deadlines.add(request, this.context.bodyTimeout);
    else deadlines.delete(request);
    const declared = Number(request.meta.CONTENT_LENGTH);
    if (this.context.maxBody !== undefined && declared > this.context.maxBody)
      request.tooLarge = true;
    if (/^\d+$/.test(request.meta.CONTENT_LENGTH ?? "")) request.stdinWanted = declared;
    // Authorizers get no request body: the request is complete with its PARAMS.
    if (request.role === Role.Authorizer) this.ready(request);
  }

  private input(id: number, content: Buffer, isData: boolean): void {
    const request = this.requests.get(id);
    if (!request || request.started || request.finished) return;
    if (request.params !== undefined) {
      throw new FastCgiProtocolError(
        "ERR_FCGI_STDIN_BEFORE_PARAMS",
        `request ${id} sent ${isData ? "DATA" : "STDIN"} before the end of its PARAMS`,
        excerpt(content),
      );
    }
    if (content.length === 0) {
      if (isData) request.dataDone = true;
      else request.stdinDone = true;
      if (request.stdinDone && (request.role !== Role.Filter || request.dataDone))
        this.ready(request);
      return;
    }
    if (request.tooLarge) return;
    if (!isData) {
      if (request.stdinWanted === 0) return;
      if (content.length > request.stdinWanted) content = content.subarray(0, request.stdinWanted);
      request.stdinWanted -= content.length;
    }
    const limits = { maxBody: this.context.maxBody, memoryThreshold: this.context.memoryThreshold };
    const collector = isData
      ? (request.data ??= new BodyCollector(limits))
      : (request.stdin ??= new BodyCollector(limits));
    try {
      collector.push(content);
    } catch (error) {
      if ((error as { code?: string }).code !== "ERR_BODY_TOO_LARGE") throw error;
      request.tooLarge = true;
      request.dispose();
    }
  }

  private abortRequest(id: number): void {
    const request = this.requests.get(id);
    if (!request || request.finished) return;
    request.abortedByPeer = true;
    if (request.started) {
      request.cancel(new Error("the front server sent FCGI_ABORT_REQUEST"));
    } else {
      deadlines.delete(request);
      request.dispose();
      request.endWith(1, ProtocolStatus.RequestComplete);
    }
  }

  private ready(request: FastCgiRequest): void {
    request.started = true;
    deadlines.delete(request);
    if (request.tooLarge) {
      request.dispose();
      return this.refuse(request, "413 Content Too Large", ProtocolStatus.RequestComplete);
    }
    if (!this.context.limiter.run(() => this.execute(request))) {
      request.dispose();
      this.context.log(
        "cgi2wsgi: fastcgi: overloaded, answering 503 (raise --max-concurrency or add workers)\n",
      );
      this.refuse(request, "503 Service Unavailable", ProtocolStatus.Overloaded);
    }
  }

  private async execute(request: FastCgiRequest): Promise<void> {
    let token = -1;
    try {
      if (request.finished) return;
      // Aborted (by the peer or a closed connection) while it waited in the queue.
      if (request.signal.aborted) return request.abort();
      const log = this.context.log;
      // Also derives PATH_INFO from REQUEST_URI for peers that send neither variable.
      const meta = applyMount(request.meta!, this.limits.mount);
      // The request's own meta object becomes its environ, with no copy.
      const environ = adoptEnviron(meta, {
        latin1: request.highBytes,
        input: request.stdin ? request.stdin.finish() : inputFromBuffer(EMPTY),
        errors: createErrorStream((text) => {
          if (this.limits.localErrors || !request.stderr(text)) log(text);
        }),
        multithread: true,
        multiprocess: this.context.multiprocess,
        runOnce: false,
      });
      if (request.data) environ["fcgi.data"] = request.data.finish();
      // A 504 written by the watchdog is clean only while this is the connection's one
      // request: any record sent on it (see send) disarms it.
      const stuck = this.context.stuck;
      if (stuck && this.requests.size === 1) {
        token = this.armed = stuck.arm(this.socket, request.id, meta.REQUEST_METHOD === "HEAD");
      }
      await runApplication(this.context.app, environ, request, {
        debug: this.context.debug,
        timeout: this.context.requestTimeout,
        log,
        observe: this.context.observe,
      });
    } finally {
      // Its own token only: a later request on the connection may be armed by now.
      if (token >= 0 && this.armed === token) this.armed = this.context.stuck!.disarm(token);
      request.dispose();
      this.context.requestFinished();
    }
  }
}

function peer(socket: Socket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : "a local socket";
}
