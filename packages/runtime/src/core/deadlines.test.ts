import { describe, expect, it } from "vitest";
import { Deadlines, type Timed } from "./deadlines.js";

class Entry implements Timed {
  deadline = 0;
  prevTimed: Timed | undefined = undefined;
  nextTimed: Timed | undefined = undefined;
  expired = 0;
  constructor(private readonly then: () => void = () => {}) {}
  expire(): void {
    this.expired++;
    this.then();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Deadlines", () => {
  it("expires what is overdue once, and never what was cleared or re-armed later", async () => {
    const deadlines = new Deadlines();
    const soon = new Entry();
    const cleared = new Entry();
    const rearmed = new Entry();
    const late = new Entry();
    deadlines.add(soon, 20);
    deadlines.add(cleared, 20);
    deadlines.add(rearmed, 20);
    deadlines.add(late, 60_000);
    deadlines.add(rearmed, 60_000);
    deadlines.delete(cleared);
    deadlines.delete(cleared);
    expect(deadlines.armed).toBe(3);
    await sleep(150);
    expect([soon.expired, cleared.expired, rearmed.expired, late.expired]).toEqual([1, 0, 0, 0]);
    expect(deadlines.armed).toBe(2);
    // Taken out of the list, an entry holds no links (nothing old keeps it alive).
    expect([soon.prevTimed, soon.nextTimed, cleared.nextTimed]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    deadlines.delete(late);
    deadlines.delete(rearmed);
    expect(deadlines.armed).toBe(0);
  });

  it("lets an expiring entry clear or arm others in the same sweep", async () => {
    const deadlines = new Deadlines();
    const second = new Entry();
    const third = new Entry();
    const first = new Entry(() => {
      deadlines.delete(second);
      deadlines.add(third, 10);
    });
    deadlines.add(first, 10);
    deadlines.add(second, 10);
    await sleep(120);
    expect([first.expired, second.expired]).toEqual([1, 0]);
    await sleep(150);
    expect(third.expired).toBe(1);
    expect(deadlines.armed).toBe(0);
  });

  it("keeps many entries in order of arming, each cleared in any order", () => {
    const deadlines = new Deadlines();
    const entries = Array.from({ length: 100 }, () => new Entry());
    for (const entry of entries) deadlines.add(entry, 60_000);
    for (let i = 0; i < entries.length; i += 2) deadlines.delete(entries[i]!);
    expect(deadlines.armed).toBe(50);
    for (let i = entries.length - 1; i >= 0; i--) deadlines.delete(entries[i]!);
    expect(deadlines.armed).toBe(0);
    expect(entries.every((entry) => entry.nextTimed === undefined)).toBe(true);
  });
});
