import type { Headers, StartResponse, Write } from "../types.js";
import { describe, type Report } from "./errors.js";
import { checkChunk, checkHeaders, checkStatus } from "./response-check.js";

/**
 * The response side of one validated request: wraps `start_response` and `write` for the
 * application and follows what the body hands the server, to check the call order.
 *
 * @example
 * const exchange = new Exchange(start_response, report, environ.REQUEST_METHOD === "HEAD");
 * const body = app(environ, exchange.startResponse);
 */
export class Exchange {
  private status: string | undefined;
  private declaredLength: number | undefined;
  private bytes = 0;
  private finished = false;

  constructor(
    private readonly serverStartResponse: StartResponse,
    private readonly report: Report,
    private readonly head: boolean,
  ) {}

  readonly startResponse: StartResponse = (status, headers, excInfo) => {
    const replacing = excInfo !== undefined && excInfo !== null;
    if (this.status !== undefined && !replacing) {
      this.report(
        "start-response-twice",
        `start_response was called again (status ${JSON.stringify(status)}) without excInfo; pass the caught error as the third argument to replace the headers`,
      );
    }
    checkStatus(status, this.report);
    const declared = checkHeaders(headers, this.report);
    const bodyStarted = this.bytes > 0;
    const write: unknown = this.serverStartResponse(status, headers as Headers, excInfo);
    if (replacing && bodyStarted) {
      this.report(
        "exc-info-not-reraised",
        "start_response was called with excInfo after body bytes were sent, and returned; it must rethrow excInfo",
      );
    }
    if (typeof write !== "function") {
      this.report(
        "write-not-callable",
        `start_response returned ${describe(write)}; return the write function`,
      );
    }
    this.status = String(status);
    this.declaredLength = declared;
    return this.wrapWrite(write as Write);
  };

  /** A chunk the body is about to hand to the server. */
  chunk(value: unknown): void {
    if (this.status === undefined) {
      this.report(
        "chunk-before-start-response",
        "the body produced a chunk before start_response was called; call start_response first",
      );
    }
    this.bytes += checkChunk(value, this.report) ?? 0;
  }

  /** The body ran to its end: the response must be complete. */
  end(): void {
    this.finish();
    if (this.status === undefined) {
      this.report(
        "no-start-response",
        "the body ended and start_response was never called; call it before returning",
      );
      return;
    }
    const declared = this.declaredLength;
    if (declared === undefined || this.head || !carriesBody(this.status)) return;
    if (this.bytes !== declared) {
      this.report(
        "content-length-mismatch",
        `Content-Length says ${declared} bytes but the body had ${this.bytes}; fix the header or drop it`,
      );
    }
  }

  /** No more body may come: the body ended, failed or was closed. */
  finish(): void {
    this.finished = true;
  }

  private wrapWrite(serverWrite: Write): Write {
    return (chunk) => {
      if (this.finished) {
        this.report(
          "write-after-finish",
          "write() was called after the body finished; write everything before the returned body ends",
        );
      }
      this.bytes += checkChunk(chunk, this.report) ?? 0;
      return serverWrite(chunk);
    };
  }
}

/** 1xx, 204 and 304 responses have no body, whatever Content-Length says. */
function carriesBody(status: string): boolean {
  return !(status.startsWith("1") || status.startsWith("204") || status.startsWith("304"));
}
