/**
 * Bounds the requests in flight in one process (`--max-concurrency`): beyond the bound they
 * wait in a FIFO queue, and beyond the queue bound they are refused, so the caller answers
 * 503 (or FCGI_OVERLOADED) at once instead of piling up work it cannot do.
 *
 * @example
 * const limiter = new ConcurrencyLimiter({ maxConcurrency: 4, maxQueue: 100 });
 * if (!limiter.run(() => handle(request))) answer503();
 */
export class ConcurrencyLimiter {
  private readonly max: number;
  private readonly maxQueue: number;
  private active = 0;
  private readonly queue: Array<() => Promise<void>> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(options: { maxConcurrency?: number; maxQueue?: number } = {}) {
    this.max = options.maxConcurrency ?? Infinity;
    this.maxQueue = options.maxQueue ?? (this.max === Infinity ? 0 : this.max * 16);
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Runs `task` now, or once a slot frees up. Returns false, without running it, when the
   * queue is full. The task must not reject; errors are its own to report.
   */
  run(task: () => Promise<void>): boolean {
    if (this.active < this.max) {
      this.start(task);
      return true;
    }
    if (this.queue.length >= this.maxQueue) return false;
    this.queue.push(task);
    return true;
  }

  /** Resolves once nothing runs and nothing waits. */
  idle(): Promise<void> {
    if (this.active === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private start(task: () => Promise<void>): void {
    this.active++;
    task().then(this.done, this.done);
  }

  private readonly done = (): void => {
    this.active--;
    const next = this.queue.shift();
    if (next) this.start(next);
    else if (this.active === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  };
}
