import type { Headers } from "../types.js";
import { CgiOutputError, CgiParserStateError } from "./errors.js";
import { parseHeaderLine, parseStatusLine, parseStatusValue } from "./header-line.js";

/** A CGI response split into what a gateway passes to `start_response` and the body. */
export interface CgiResponse {
  /** `"NNN Reason"`, from `Status:`, a `Location:` alone (302), an nph status line, or 200. */
  status: string;
  /** The script's headers in order, `Status:` removed; repeated names (Set-Cookie) kept. */
  headers: Headers;
  /** Body bytes: everything after the blank line (for `execute`, within that chunk). */
  body: Buffer;
}

/** How the script's output is read. */
export interface CgiParseOptions {
  /** Output of an `nph-` script: it begins with an HTTP status line (`HTTP/1.1 200 OK`). */
  nph?: boolean;
  /** Largest header block accepted, in bytes (default 8192, as Apache's line limit). */
  maxHeaderBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const ASCII = /^[\x00-\x7f]*$/;
/** The empty line (LF or CRLF) that ends a header block, anywhere in a text. */
export const BLANK_LINE = /(?:^|\n)\r?\n/;
const EMPTY = Buffer.alloc(0);

/** {@link CgiResponse} with the body as the text that followed the blank line. */
export interface CgiTextResponse {
  status: string;
  headers: Headers;
  body: string;
}

/**
 * Reads the header block of a CGI script's output (RFC 3875 section 6) as it arrives, in
 * any split: lines end in LF or CRLF, the block ends at the first empty line. `Status:`
 * sets the status, a `Location:` without it means 302, otherwise 200. Malformed output
 * throws {@link CgiOutputError} (answer 502), as nginx with fcgiwrap does.
 *
 * @example
 * const parser = new CgiHeaderParser();
 * child.stdout.on("data", (chunk) => {
 *   if (headersSent) return sendBody(chunk);
 *   const head = parser.execute(chunk);
 *   if (head) { headersSent = true; start_response(head.status, head.headers); sendBody(head.body); }
 * });
 * child.stdout.on("end", () => parser.finish());
 */
export class CgiHeaderParser {
  private readonly nph: boolean;
  private readonly maxHeaderBytes: number;
  private pending = EMPTY;
  private scanned = 0;
  private lineStart = 0;
  private lineNumber = 0;
  private statusLine: string | undefined;
  private readonly headers: Headers = [];
  private done = false;

  constructor(options: CgiParseOptions = {}) {
    this.nph = options.nph ?? false;
    this.maxHeaderBytes = options.maxHeaderBytes ?? 8192;
  }

  /** True once the header block has been returned by {@link execute}. */
  get complete(): boolean {
    return this.done;
  }

  /**
   * Feeds the next bytes of output. Returns the response head once the blank line after the
   * headers has arrived (its `body` holds the rest of this chunk), `undefined` until then.
   */
  execute(chunk: Uint8Array): CgiResponse | undefined {
    if (this.done) throw new CgiParserStateError();
    this.pending =
      this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const lf = this.pending.indexOf(LF, this.scanned);
      if (lf < 0) break;
      const end = lf > this.lineStart && this.pending[lf - 1] === CR ? lf - 1 : lf;
      const line = this.pending.toString("latin1", this.lineStart, end);
      this.lineStart = this.scanned = lf + 1;
      this.checkSize(this.lineStart);
      this.lineNumber += 1;
      if (line === "") return this.finishHead(this.pending.subarray(this.lineStart));
      if (this.nph && this.lineNumber === 1) this.statusLine = parseStatusLine(line);
      else this.headers.push(parseHeaderLine(line, this.lineNumber));
    }
    this.scanned = this.pending.length;
    this.checkSize(this.pending.length);
    return undefined;
  }

  /**
   * Feeds output the script printed as text (its UTF-8 is the bytes), as {@link execute}
   * does, with the body returned as text. A whole header block of ASCII, the usual case,
   * is read from the string without encoding it first.
   */
  executeText(text: string): CgiTextResponse | undefined {
    if (this.done) throw new CgiParserStateError();
    if (this.pending.length === 0 && this.lineNumber === 0 && ASCII.test(text)) {
      const head = this.headFromText(text);
      if (head) return head;
    }
    const head = this.execute(Buffer.from(text));
    return head && { status: head.status, headers: head.headers, body: head.body.toString() };
  }

  // The lines of a header block that is all in `text`; undefined (nothing read) if the
  // blank line is not there, for execute() to keep what came so far.
  private headFromText(text: string): CgiTextResponse | undefined {
    if (!BLANK_LINE.test(text)) return undefined;
    let start = 0;
    for (;;) {
      const lf = text.indexOf("\n", start);
      const end = lf > start && text.charCodeAt(lf - 1) === CR ? lf - 1 : lf;
      const line = text.slice(start, end);
      start = lf + 1;
      if (start > this.maxHeaderBytes) {
        this.pending = Buffer.from(text);
        this.checkSize(start);
      }
      this.lineNumber += 1;
      if (line === "") {
        const head = this.endHead(() => Buffer.from(text.slice(start, start + 200)));
        return { status: head.status, headers: head.headers, body: text.slice(start) };
      }
      if (this.nph && this.lineNumber === 1) this.statusLine = parseStatusLine(line);
      else this.headers.push(parseHeaderLine(line, this.lineNumber));
    }
  }

  /** Declares the end of output; throws {@link CgiOutputError} if the header block never ended. */
  finish(): void {
    const error = this.endError();
    if (error) throw error;
  }

  /** The error {@link finish} would throw now, or `undefined` once the header block is complete. */
  endError(): CgiOutputError | undefined {
    if (this.done) return undefined;
    if (this.lineNumber === 0 && this.pending.length === 0) {
      return new CgiOutputError(
        "no-output",
        "the CGI script printed nothing; check its stderr, it must print headers and a blank line",
      );
    }
    return new CgiOutputError(
      "unterminated-headers",
      "the CGI script's output ended before the blank line that closes the header block; print an empty line after the headers",
      this.pending.subarray(0, 200),
    );
  }

  private checkSize(headerBytes: number): void {
    if (headerBytes <= this.maxHeaderBytes) return;
    throw new CgiOutputError(
      "headers-too-large",
      `the CGI header block passed ${this.maxHeaderBytes} bytes; send large data in the body, or raise maxHeaderBytes`,
      this.pending.subarray(0, 200),
    );
  }

  private finishHead(body: Buffer): CgiResponse {
    const head = this.endHead(() => body.subarray(0, 200));
    return { status: head.status, headers: head.headers, body };
  }

  // The blank line came: the status and headers, or why there are none (`excerpt`: the
  // start of the body, for the error).
  private endHead(excerpt: () => Buffer): { status: string; headers: Headers } {
    if (this.lineNumber === 1) {
      throw new CgiOutputError(
        "no-headers",
        "the CGI script's output starts with a blank line, so it has no headers; print at least a Content-Type, Location or Status header first",
        excerpt(),
      );
    }
    this.done = true;
    this.pending = EMPTY;
    if (this.statusLine !== undefined) return { status: this.statusLine, headers: this.headers };
    return this.statusFromHeaders();
  }

  private statusFromHeaders(): { status: string; headers: Headers } {
    let status: string | undefined;
    let location = false;
    const headers: Headers = [];
    for (const header of this.headers) {
      const lower = header[0].toLowerCase();
      if (lower === "status") status = parseStatusValue(header[1]);
      else {
        if (lower === "location") location = true;
        headers.push(header);
      }
    }
    return { status: status ?? (location ? "302 Found" : "200 OK"), headers };
  }
}
