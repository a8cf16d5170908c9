import type { Writable } from "node:stream";

/**
 * Resolves once `stream` can take more writes, or is gone (the caller then sees the abort).
 * Both listeners go once either fires: a large response drains many times, and listeners
 * left behind would pile up until the stream closes.
 *
 * @example
 * if (!socket.write(bytes)) await waitForDrain(socket);
 */
export function waitForDrain(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const settle = (): void => {
      stream.off("drain", settle);
      stream.off("close", settle);
      resolve();
    };
    stream.on("drain", settle);
    stream.on("close", settle);
  });
}
