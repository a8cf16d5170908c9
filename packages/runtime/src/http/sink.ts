import type { ServerResponse } from "node:http";
import { waitForDrain } from "../core/drain.js";
import type { Headers, ResponseSink } from "../types.js";

/**
 * A {@link ResponseSink} over a `node:http` response: the status and headers as given
 * (repeated names kept), writes with Node's own backpressure, and an abort signal that fires
 * when the client goes away before the response is complete.
 *
 * @example
 * server.on("request", (req, res) => runApplication(app, environ, httpResponseSink(res)));
 */
export function httpResponseSink(res: ServerResponse): ResponseSink {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new Error("client went away"));
  });
  return {
    signal: controller.signal,
    sendHeaders(status: string, headers: Headers) {
      const flat: string[] = [];
      for (const [name, value] of headers) flat.push(name, value);
      res.writeHead(Number(status.slice(0, 3)), status.slice(4), flat);
    },
    write: (chunk) => res.write(chunk),
    drain: () => waitForDrain(res),
    end: () => void res.end(),
    abort: () => void res.destroy(),
  };
}
