import { describe, expect, it } from "vitest";
import { ConcurrencyLimiter } from "./limiter.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("ConcurrencyLimiter", () => {
  it("runs up to the bound, queues in order, then refuses", async () => {
    const limiter = new ConcurrencyLimiter({ maxConcurrency: 2, maxQueue: 1 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const task = (i: number) => () => {
      started.push(i);
      return gates[i]!.promise;
    };
    expect(limiter.run(task(0))).toBe(true);
    expect(limiter.run(task(1))).toBe(true);
    expect(limiter.run(task(2))).toBe(true);
    expect(limiter.run(task(2))).toBe(false);
    expect(started).toEqual([0, 1]);
    expect(limiter.queued).toBe(1);
    gates[0]!.open();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    const idle = limiter.idle();
    gates[1]!.open();
    gates[2]!.open();
    await idle;
    expect(limiter.inFlight).toBe(0);
  });

  it("is unbounded by default", () => {
    const limiter = new ConcurrencyLimiter();
    for (let i = 0; i < 1000; i++) expect(limiter.run(() => new Promise(() => {}))).toBe(true);
    expect(limiter.inFlight).toBe(1000);
  });
});
