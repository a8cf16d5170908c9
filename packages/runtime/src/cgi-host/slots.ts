import { ConcurrencyLimiter } from "../server/limiter.js";
import { HostOverloadedError } from "./errors.js";

/**
 * Process slots: at most `max` scripts run at once, later requests wait in a FIFO queue of
 * at most `maxQueue`, and beyond that are refused with {@link HostOverloadedError} (503).
 * A slot is held from spawn until the process is reaped.
 *
 * @example
 * const slots = new ProcessSlots(8, 64);
 * const release = await slots.acquire();
 * try { await runScript(); } finally { release(); }
 */
export class ProcessSlots {
  private readonly limiter: ConcurrencyLimiter;

  constructor(
    private readonly max: number,
    maxQueue?: number,
  ) {
    this.limiter = new ConcurrencyLimiter({ maxConcurrency: max, maxQueue });
  }

  /** Scripts running now. */
  get running(): number {
    return this.limiter.inFlight;
  }

  /** Waits for a free slot; the returned function gives it back (once; later calls do nothing). */
  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      const accepted = this.limiter.run(
        () =>
          new Promise<void>((done) => {
            let released = false;
            resolve(() => {
              if (released) return;
              released = true;
              done();
            });
          }),
      );
      if (!accepted) reject(new HostOverloadedError(this.max));
    });
  }
}
