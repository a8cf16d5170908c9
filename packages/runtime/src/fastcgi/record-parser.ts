import { HEADER_LENGTH, VERSION_1 } from "./constants.js";
import { FastCgiProtocolError, excerpt } from "./errors.js";

/**
 * Receives each complete record. `content` may be a view into the chunk being parsed, which
 * the socket reuses: copy what must outlive the call.
 *
 * @example
 * const listener: RecordListener = (type, id, content) => console.log(type, id, content.length);
 */
export type RecordListener = (type: number, requestId: number, content: Buffer) => void;

const enum State {
  Header,
  Content,
  Padding,
}

const EMPTY = Buffer.alloc(0);

/**
 * An incremental FastCGI record parser: feed it bytes in any split with
 * {@link RecordParser.execute} and it calls the listener once per complete record, with the
 * padding skipped. A record that lies whole inside one chunk is passed as a view, without a
 * copy; only records split across chunks are assembled.
 *
 * @example
 * const parser = new RecordParser((type, id, content) => console.log(type, id, content.length));
 * socket.on("data", (chunk) => parser.execute(chunk));
 */
export class RecordParser {
  private state = State.Header;
  private readonly header = Buffer.alloc(HEADER_LENGTH);
  private headerFill = 0;
  private type = 0;
  private requestId = 0;
  private contentLength = 0;
  private paddingLeft = 0;
  private content: Buffer = EMPTY;
  private contentFill = 0;

  constructor(private readonly listener: RecordListener) {}

  /** True when no record is partly received, so the peer may close here cleanly. */
  get atBoundary(): boolean {
    return this.state === State.Header && this.headerFill === 0;
  }

  /** Consumes a chunk. Throws {@link FastCgiProtocolError} on bytes that are not FastCGI. */
  execute(chunk: Buffer): void {
    const end = chunk.length;
    let at = 0;
    while (at < end) {
      if (this.state === State.Header) {
        if (this.headerFill === 0 && end - at >= HEADER_LENGTH) {
          this.readHeader(chunk, at);
          at += HEADER_LENGTH;
        } else {
          const n = Math.min(HEADER_LENGTH - this.headerFill, end - at);
          chunk.copy(this.header, this.headerFill, at, at + n);
          this.headerFill += n;
          at += n;
          if (this.headerFill < HEADER_LENGTH) return;
          this.headerFill = 0;
          this.readHeader(this.header, 0);
        }
        if (this.contentLength === 0) {
          this.emit(EMPTY);
        } else if (end - at >= this.contentLength) {
          // The common case: the whole content is here, hand out a view.
          const content = chunk.subarray(at, at + this.contentLength);
          at += this.contentLength;
          this.emit(content);
        } else {
          this.content = Buffer.allocUnsafe(this.contentLength);
          this.contentFill = 0;
          this.state = State.Content;
        }
      } else if (this.state === State.Content) {
        const n = Math.min(this.contentLength - this.contentFill, end - at);
        chunk.copy(this.content, this.contentFill, at, at + n);
        this.contentFill += n;
        at += n;
        if (this.contentFill < this.contentLength) return;
        const content = this.content;
        this.content = EMPTY;
        this.emit(content);
      } else {
        const n = Math.min(this.paddingLeft, end - at);
        this.paddingLeft -= n;
        at += n;
        if (this.paddingLeft === 0) this.state = State.Header;
      }
    }
  }

  private readHeader(bytes: Buffer, at: number): void {
    const version = bytes[at]!;
    if (version !== VERSION_1) {
      throw new FastCgiProtocolError(
        "ERR_FCGI_VERSION",
        `record header has version ${version}, FastCGI 1.0 needs 1; is the peer speaking FastCGI (check the front server's fastcgi_pass/proxy settings)?`,
        excerpt(bytes, at),
      );
    }
    this.type = bytes[at + 1]!;
    this.requestId = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    this.contentLength = (bytes[at + 4]! << 8) | bytes[at + 5]!;
    this.paddingLeft = bytes[at + 6]!;
  }

  private emit(content: Buffer): void {
    this.state = this.paddingLeft > 0 ? State.Padding : State.Header;
    this.listener(this.type, this.requestId, content);
  }
}
