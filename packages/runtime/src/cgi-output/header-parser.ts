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
  private pending = Buffer.alloc(0);
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
    if (this.lineNumber === 1) {
      throw new CgiOutputError(
        "no-headers",
        "the CGI script's output starts with a blank line, so it has no headers; print at least a Content-Type, Location or Status header first",
        body.subarray(0, 200),
      );
    }
    this.done = true;
    this.pending = Buffer.alloc(0);
    if (this.statusLine !== undefined)
      return { status: this.statusLine, headers: this.headers, body };
    return { ...this.statusFromHeaders(), body };
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
