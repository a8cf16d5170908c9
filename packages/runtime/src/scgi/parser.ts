import { ScgiHeadersTooLargeError, ScgiProtocolError, ScgiTruncatedError } from "./errors.js";

/** Bounds for {@link ScgiParser}. */
export interface ScgiParserOptions {
  /** Largest header netstring accepted, in bytes. Default: 64 KiB. */
  maxHeaderSize?: number;
}

/** What the parser reports, in order: the head once, body chunks, then completion once. */
export interface ScgiParserEvents {
  /** The header pairs, in order, decoded as latin1 (PEP 3333's native strings). */
  onHead(headers: Array<[string, string]>, contentLength: number): void;
  onBody(chunk: Buffer): void;
  onComplete(): void;
}

/** Default bound on the header netstring: far beyond what front servers send. */
export const DEFAULT_MAX_SCGI_HEADER_SIZE = 64 * 1024;

type State = "length" | "headers" | "comma" | "body" | "done" | "failed";

const COLON = 0x3a;
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;
const DIGITS = /^[0-9]+$/;

/**
 * An incremental SCGI request parser: `<length>:<NAME>\0<value>\0...,` then CONTENT_LENGTH
 * bytes of body. It takes bytes in any split and holds its state between calls; bytes after
 * the body are ignored, as SCGI carries one request per connection.
 *
 * @example
 * const parser = new ScgiParser({
 *   onHead: (headers, length) => console.log(headers, length),
 *   onBody: (chunk) => collector.push(chunk),
 *   onComplete: () => respond(),
 * });
 * socket.on("data", (chunk) => parser.execute(chunk));
 * socket.on("end", () => parser.finish());
 */
export class ScgiParser {
  private state: State = "length";
  private readonly maxHeaderSize: number;
  private offset = 0;
  private headerLength = 0;
  private lengthDigits = 0;
  private header: Buffer = Buffer.alloc(0);
  private headerFill = 0;
  private bodyLeft = 0;
  private bodyLength = 0;

  constructor(
    private readonly events: ScgiParserEvents,
    options: ScgiParserOptions = {},
  ) {
    this.maxHeaderSize = options.maxHeaderSize ?? DEFAULT_MAX_SCGI_HEADER_SIZE;
  }

  /** True once the whole request (head and body) has been parsed. */
  get complete(): boolean {
    return this.state === "done";
  }

  /** Feeds the next bytes; throws a protocol error (and stays failed) on malformed input. */
  execute(chunk: Uint8Array): void {
    if (this.state === "failed") throw new Error("ScgiParser: execute() after an error");
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    try {
      this.run(bytes);
    } catch (error) {
      this.state = "failed";
      throw error;
    }
  }

  /** Declares the end of the stream; throws {@link ScgiTruncatedError} if the request is incomplete. */
  finish(): void {
    // A connection closed before its first byte is no request at all, not a truncated one.
    if (this.state === "length" && this.offset > 0) {
      throw new ScgiTruncatedError("netstring length", this.offset + 1, this.offset);
    }
    if (this.state === "headers" || this.state === "comma") {
      throw new ScgiTruncatedError("header block", this.headerLength + 1, this.headerFill);
    }
    if (this.state === "body") {
      throw new ScgiTruncatedError("body", this.bodyLength, this.bodyLength - this.bodyLeft);
    }
  }

  private run(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      switch (this.state) {
        case "length":
          at = this.readLength(bytes, at);
          break;
        case "headers": {
          const n = Math.min(bytes.length - at, this.headerLength - this.headerFill);
          bytes.copy(this.header, this.headerFill, at, at + n);
          this.headerFill += n;
          at += n;
          this.offset += n;
          if (this.headerFill === this.headerLength) this.state = "comma";
          break;
        }
        case "comma":
          if (bytes[at] !== COMMA) {
            this.fail(
              "ERR_SCGI_BAD_NETSTRING",
              "the header netstring must end with ','",
              bytes,
              at,
            );
          }
          at++;
          this.offset++;
          this.parseHeaders();
          break;
        case "body": {
          const n = Math.min(bytes.length - at, this.bodyLeft);
          this.bodyLeft -= n;
          this.offset += n;
          const piece = bytes.subarray(at, at + n);
          at += n;
          this.events.onBody(piece);
          if (this.bodyLeft === 0) this.endRequest();
          break;
        }
        case "done":
        case "failed":
          return;
      }
    }
  }

  private readLength(bytes: Buffer, start: number): number {
    let at = start;
    while (at < bytes.length) {
      const byte = bytes[at]!;
      if (byte === COLON) {
        if (this.lengthDigits === 0) {
          this.fail("ERR_SCGI_BAD_NETSTRING", "the netstring length is empty", bytes, at);
        }
        this.offset++;
        this.header = Buffer.allocUnsafe(this.headerLength);
        this.state = this.headerLength === 0 ? "comma" : "headers";
        return at + 1;
      }
      if (byte < ZERO || byte > NINE) {
        this.fail(
          "ERR_SCGI_BAD_NETSTRING",
          "the netstring length must be decimal digits",
          bytes,
          at,
        );
      }
      if (this.lengthDigits === 1 && this.headerLength === 0) {
        this.fail("ERR_SCGI_BAD_NETSTRING", "the netstring length has a leading zero", bytes, at);
      }
      this.headerLength = this.headerLength * 10 + (byte - ZERO);
      this.lengthDigits++;
      if (this.headerLength > this.maxHeaderSize) {
        throw new ScgiHeadersTooLargeError(this.headerLength, this.maxHeaderSize);
      }
      this.offset++;
      at++;
    }
    return at;
  }

  private parseHeaders(): void {
    const block = this.header;
    const base = this.offset - 1 - block.length;
    if (block.length === 0 || block[block.length - 1] !== 0) {
      this.fail(
        "ERR_SCGI_BAD_HEADERS",
        "the header block must end with a NUL byte",
        block,
        0,
        base,
      );
    }
    const parts = block.toString("latin1", 0, block.length - 1).split("\0");
    if (parts.length % 2 !== 0) {
      this.fail("ERR_SCGI_BAD_HEADERS", "a header name has no value", block, 0, base);
    }
    const headers: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (let i = 0; i < parts.length; i += 2) {
      const name = parts[i]!;
      if (name === "") this.fail("ERR_SCGI_BAD_HEADERS", "a header name is empty", block, 0, base);
      // The spec forbids repeats, but an nginx config that also sets CONTENT_LENGTH sends
      // it twice; the first value (the one nginx computed) wins, as in other gateways.
      if (seen.has(name)) continue;
      seen.add(name);
      headers.push([name, parts[i + 1]!]);
    }
    const first = headers[0]!;
    if (first[0] !== "CONTENT_LENGTH") {
      this.fail("ERR_SCGI_BAD_HEADERS", "the first header must be CONTENT_LENGTH", block, 0, base);
    }
    const length = Number(first[1]);
    if (!DIGITS.test(first[1]) || !Number.isSafeInteger(length)) {
      this.fail("ERR_SCGI_BAD_HEADERS", "CONTENT_LENGTH must be decimal digits", block, 0, base);
    }
    if (!headers.some(([name, value]) => name === "SCGI" && value === "1")) {
      this.fail("ERR_SCGI_BAD_HEADERS", 'the header "SCGI" must be "1"', block, 0, base);
    }
    this.header = Buffer.alloc(0);
    this.bodyLength = this.bodyLeft = length;
    this.state = "body";
    this.events.onHead(headers, length);
    if (length === 0) this.endRequest();
  }

  private endRequest(): void {
    this.state = "done";
    this.events.onComplete();
  }

  /** Fails at byte `at` of `bytes`, which sits at stream offset `offset`. */
  private fail(
    code: string,
    problem: string,
    bytes: Buffer,
    at: number,
    offset = this.offset,
  ): never {
    throw new ScgiProtocolError(code, problem, Buffer.from(bytes.subarray(at, at + 32)), offset);
  }
}
