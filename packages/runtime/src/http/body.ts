import type { IncomingMessage } from "node:http";
import type { BodyCollector } from "../core/input.js";
import { lateMessage, ReadClock } from "../server/read-clock.js";

/** How reading a request body ended, when not with the whole body. */
export type BodyFailure = "413 Content Too Large" | "408 Request Timeout" | "broken";

// After a 408 the rest of the body is read and dropped this long, so the client sees the
// answer instead of a reset (nginx's lingering close does the same).
const LINGER_MS = 2000;

/**
 * Reads a request body into `collector` within `bodyTimeout` milliseconds in total (a
 * trickle of bytes cannot extend it). Resolves with undefined once the body is whole, or
 * with why not: over the size limit, too late (the caller answers 408 and the connection is
 * dropped after a short linger), or a broken connection.
 *
 * @example
 * const failure = await readHttpBody(req, collector, { bodyTimeout: 60_000, log });
 * if (failure) return answer(failure);
 */
export async function readHttpBody(
  req: IncomingMessage,
  collector: BodyCollector,
  options: { bodyTimeout?: number; log: (text: string) => void },
): Promise<BodyFailure | undefined> {
  let late = false;
  let finishLate: (() => void) | undefined;
  const clock = new ReadClock({ headerTimeout: 0, bodyTimeout: options.bodyTimeout ?? 0 }, () => {
    late = true;
    options.log(
      `cgi2wsgi http: ${lateMessage("body", { headerTimeout: 0, bodyTimeout: options.bodyTimeout ?? 0 })}; answered 408\n`,
    );
    setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
    finishLate?.();
  });
  clock.body();
  const read = async (): Promise<BodyFailure | undefined> => {
    try {
      for await (const chunk of req) if (!late) collector.push(chunk as Buffer);
    } catch (error) {
      if (late) return "408 Request Timeout";
      if ((error as { status?: number }).status === 413) return "413 Content Too Large";
      options.log(`cgi2wsgi: reading the request body failed: ${String(error)}\n`);
      return "broken";
    }
    return late ? "408 Request Timeout" : undefined;
  };
  try {
    return await Promise.race([
      read(),
      new Promise<BodyFailure>((resolve) => (finishLate = () => resolve("408 Request Timeout"))),
    ]);
  } finally {
    clock.stop();
  }
}
