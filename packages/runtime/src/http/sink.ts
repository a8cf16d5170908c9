import type { ServerResponse } from "node:http";
import { waitForDrain } from "../core/drain.js";
import type { Headers, ResponseSink } from "../types.js";

/**
 * A {@link ResponseSink} over a `node:http` response: the status and headers as given
 * (repeated names kept), writes with Node's own backpressure, and word when the client goes
 * away before the response is complete (`onGone`, or an abort `signal` made on first use:
 * an AbortController per request costs a small response measurably).
 *
 * @example
 * server.on("request", (req, res) => runApplication(app, environ, httpResponseSink(res)));
 */
export function httpResponseSink(res: ServerResponse): ResponseSink {
  return new HttpResponseSink(res);
}

class HttpResponseSink implements ResponseSink {
  private controller: AbortController | undefined;
  private listener: (() => void) | undefined;
  private gone = false;

  constructor(private readonly res: ServerResponse) {
    res.once("close", () => {
      if (res.writableFinished) return;
      this.gone = true;
      this.controller?.abort(new Error("client went away"));
      this.listener?.();
    });
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort(new Error("client went away"));
    }
    return this.controller.signal;
  }

  // Called from the constructor's 'close' handler: no second listener on the response.
  onGone(listener: () => void): void {
    if (this.gone) return listener();
    const before = this.listener;
    this.listener = before
      ? () => {
          before();
          listener();
        }
      : listener;
  }

  sendHeaders(status: string, headers: Headers): void {
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    this.res.writeHead(Number(status.slice(0, 3)), status.slice(4), flat);
  }

  write(chunk: Uint8Array): boolean {
    return this.res.write(chunk);
  }

  drain(): Promise<void> {
    return waitForDrain(this.res);
  }

  end(): void {
    this.res.end();
  }

  abort(): void {
    this.res.destroy();
  }
}
