/**
 * Something with a deadline: `expire` runs once, when {@link Deadlines} finds it overdue.
 *
 * @example
 * const entry: Timed = { deadline: 0, expire: () => socket.destroy() };
 */
export interface Timed {
  /** Epoch milliseconds; set by {@link Deadlines.add}. */
  deadline: number;
  expire(): void;
}

const RESOLUTION_MS = 50;

/**
 * Coarse timers for deadlines that almost never fire (header, body and application
 * timeouts): one interval sweeps them all, so arming and clearing one is a set insertion
 * and removal instead of a timer per request, which costs a small request measurably. A
 * deadline fires up to {@link RESOLUTION_MS} late. The interval stops once the set stays
 * empty and never keeps the process alive.
 *
 * @example
 * deadlines.add(entry, 60_000);
 * // ... the request arrived in time:
 * deadlines.delete(entry);
 */
export class Deadlines {
  private readonly items = new Set<Timed>();
  private timer: NodeJS.Timeout | undefined;

  /** Arms `item` to expire `ms` from now (re-arms it if it was armed). */
  add(item: Timed, ms: number): void {
    item.deadline = Date.now() + ms;
    this.items.add(item);
    if (!this.timer) {
      this.timer = setInterval(this.sweep, Math.min(RESOLUTION_MS, ms));
      this.timer.unref();
    }
  }

  delete(item: Timed): void {
    this.items.delete(item);
  }

  private readonly sweep = (): void => {
    // Stopped only on a sweep that finds nothing, so steady traffic keeps one interval
    // instead of starting and stopping it for every request.
    if (this.items.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = Date.now();
    for (const item of this.items) {
      if (item.deadline > now) continue;
      this.items.delete(item);
      item.expire();
    }
  };
}

/**
 * The process's deadlines, shared by every protocol.
 *
 * @example
 * deadlines.add({ deadline: 0, expire: () => answer408() }, context.headerTimeout);
 */
export const deadlines = new Deadlines();
