// Applications that the socket gateways' tests (SCGI, AJP13) serve to show one behaviour
// each: what reached the environ, a request held in flight, streaming, backpressure, and a
// client that goes away.
import type { Application } from "../../src/types.js";

/**
 * Answers 200 with JSON of every string value in the environ, plus `body`: the request body
 * as text.
 *
 * @example
 * const environ = JSON.parse((await client.request({ uri: "/x" })).body.toString());
 */
export const environApp: Application = (environ, start) => {
  start("200 OK", [["Content-Type", "application/json"]]);
  const picked: Record<string, unknown> = { body: environ["wsgi.input"].read().toString() };
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value === "string") picked[key] = value;
  }
  return [JSON.stringify(picked)];
};

/**
 * An application that answers 200 with `body` only once `release()` is called: it holds a
 * request in flight while the test drains, closes or fills the server.
 *
 * @example
 * const { app, release } = gatedApp("finished");
 */
export function gatedApp(body: string): { app: Application; release: () => void } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const app: Application = async (_environ, start) => {
    await gate;
    start("200 OK", [["Content-Type", "text/plain"]]);
    return [body];
  };
  return { app, release: () => release() };
}

/**
 * Yields `first\n`, then waits until the test calls `received()` (when `first\n` has reached
 * the client) before it yields `second\n`: the response only completes if each chunk is
 * sent as the application yields it.
 *
 * @example
 * const { app, received } = twoChunkApp();
 */
export function twoChunkApp(): { app: Application; received: () => void } {
  let received!: () => void;
  const firstArrived = new Promise<void>((resolve) => (received = resolve));
  const app: Application = (_environ, start) => {
    start("200 OK", [["Content-Type", "text/plain"]]);
    return (async function* () {
      yield "first\n";
      await firstArrived;
      yield "second\n";
    })();
  };
  return { app, received: () => received() };
}

/**
 * Yields 64 chunks of 1 MiB (`total` bytes in all) from a generator that the server pulls,
 * and counts in `produced()` how many chunks it has made so far: a server with backpressure
 * stops pulling while the peer does not read.
 *
 * @example
 * const { app, produced, total } = producerApp();
 */
export function producerApp(): { app: Application; produced: () => number; total: number } {
  let produced = 0;
  const chunk = Buffer.alloc(1024 * 1024, 0x78);
  const app: Application = (_environ, start) => {
    start("200 OK", [["Content-Type", "application/octet-stream"]]);
    return (function* () {
      for (; produced < 64; produced++) yield chunk;
    })();
  };
  return { app, produced: () => produced, total: 64 * chunk.length };
}

/**
 * Streams `tick\n` every 10 ms for ever; `closed` settles when the server calls the body's
 * `close()`, as it must once the peer has gone away.
 *
 * @example
 * const { app, closed } = endlessApp();
 */
export function endlessApp(): { app: Application; closed: Promise<void> } {
  let close!: () => void;
  const closed = new Promise<void>((resolve) => (close = resolve));
  const app: Application = (_environ, start) => {
    start("200 OK", [["Content-Type", "text/plain"]]);
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          yield "tick\n";
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      },
      close: () => close(),
    };
  };
  return { app, closed };
}
