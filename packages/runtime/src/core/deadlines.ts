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
  /**
   * The links of the list of armed entries: set and cleared by {@link Deadlines} alone.
   * Classes declare them (as `undefined`) so that arming one does not change its shape.
   */
  prevTimed?: Timed | undefined;
  nextTimed?: Timed | undefined;
}

const RESOLUTION_MS = 50;

/**
 * Coarse timers for deadlines that almost never fire (header, body and application
 * timeouts): one interval sweeps them all, so arming and clearing one is a link into a
 * list and out of it instead of a timer per request, which costs a small request
 * measurably. A deadline fires up to {@link RESOLUTION_MS} late. The interval stops once
 * the list stays empty and never keeps the process alive.
 *
 * The list runs through the entries themselves, not a Set: a long-lived Set's old hash
 * tables, left behind in the old generation when it grows or shrinks, still point at the
 * entries they held, so every request's objects (and all they reach) survived the
 * young-generation collections until the next full one. An entry taken out of the list
 * has its links cleared, so nothing old points at it.
 *
 * @example
 * deadlines.add(entry, 60_000);
 * // ... the request arrived in time:
 * deadlines.delete(entry);
 */
export class Deadlines {
  // The ends of a circular list; an entry is armed while its nextTimed is set.
  private readonly head: Timed = {
    deadline: 0,
    expire() {},
    prevTimed: undefined,
    nextTimed: undefined,
  };
  private size = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    this.head.prevTimed = this.head;
    this.head.nextTimed = this.head;
  }

  /** Arms `item` to expire `ms` from now (re-arms it if it was armed). */
  add(item: Timed, ms: number): void {
    item.deadline = Date.now() + ms;
    if (item.nextTimed === undefined) {
      const last = this.head.prevTimed!;
      item.prevTimed = last;
      item.nextTimed = this.head;
      last.nextTimed = item;
      this.head.prevTimed = item;
      this.size++;
    }
    if (!this.timer) {
      this.timer = setInterval(this.sweep, Math.min(RESOLUTION_MS, ms));
      this.timer.unref();
    }
  }

  delete(item: Timed): void {
    const next = item.nextTimed;
    if (next === undefined) return;
    const previous = item.prevTimed!;
    previous.nextTimed = next;
    next.prevTimed = previous;
    item.prevTimed = undefined;
    item.nextTimed = undefined;
    this.size--;
  }

  /** How many entries are armed. */
  get armed(): number {
    return this.size;
  }

  private readonly sweep = (): void => {
    // Stopped only on a sweep that finds nothing, so steady traffic keeps one interval
    // instead of starting and stopping it for every request.
    if (this.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = Date.now();
    // Overdue entries are gathered first: an expire() may arm or clear others.
    const due: Timed[] = [];
    for (let item = this.head.nextTimed!; item !== this.head; item = item.nextTimed!) {
      if (item.deadline <= now) due.push(item);
    }
    for (const item of due) {
      if (item.nextTimed === undefined) continue;
      this.delete(item);
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
