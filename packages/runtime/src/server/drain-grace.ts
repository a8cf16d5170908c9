import type { Socket } from "node:net";

/** How long a drained connection that has sent nothing yet may still deliver its request. */
export const DRAIN_GRACE_MS = 1000;

/**
 * Ends a connection being drained that has not sent a request yet, unless one begins
 * within {@link DRAIN_GRACE_MS}: accepted a moment before the drain, its request may be on
 * the wire already, and closing it at once would fail a request that a reload or recycling
 * must not fail.
 *
 * @example
 * drain() { if (!received) endUnlessRequestComes(socket, () => !received); }
 */
export function endUnlessRequestComes(socket: Socket, stillQuiet: () => boolean): void {
  setTimeout(() => {
    if (stillQuiet() && !socket.destroyed) socket.end();
  }, DRAIN_GRACE_MS).unref();
}
