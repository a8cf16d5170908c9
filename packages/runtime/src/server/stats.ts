import type { ShadowCounters } from "../shadow/shadow.js";

/** Upper bounds (milliseconds) of the latency histogram's buckets; the last is +Inf. */
export const LATENCY_BUCKETS_MS = [
  1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000,
] as const;

/**
 * One process's counters, as JSON-safe data: what the status endpoint shows, and what a
 * prefork worker sends its primary so any worker can answer for the whole pool.
 *
 * @example
 * const snapshot: StatsSnapshot = stats.snapshot();
 */
export interface StatsSnapshot {
  pid: number;
  /** Epoch milliseconds the process started serving. */
  startedAt: number;
  inFlight: number;
  queued: number;
  connections: number;
  /** Finished requests by status class: index 0 is 1xx, 4 is 5xx. */
  byClass: [number, number, number, number, number];
  /** Counts per {@link LATENCY_BUCKETS_MS} bucket, plus one for +Inf. */
  latency: number[];
  /** Sum of all latencies, milliseconds. */
  latencySum: number;
  /** What shadowing (`serve --shadow`) has compared in this process; absent when not shadowing. */
  shadow?: ShadowCounters;
}

/**
 * Counts the requests of one process for the status endpoint: totals by status class and a
 * latency histogram, with the live figures (in flight, queued, connections) read on demand.
 *
 * @example
 * const stats = new ServerStats(() => ({ inFlight: limiter.inFlight, queued: limiter.queued, connections: open.size }));
 * stats.record(200, 12.5);
 */
export class ServerStats {
  private readonly startedAt = Date.now();
  private readonly byClass: StatsSnapshot["byClass"] = [0, 0, 0, 0, 0];
  private readonly latency = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private latencySum = 0;

  constructor(
    private readonly live: () => Pick<StatsSnapshot, "inFlight" | "queued" | "connections">,
    private readonly shadow?: () => ShadowCounters,
  ) {}

  /** A finished request: its status code and how long it took. */
  record(status: number, ms: number): void {
    const cls = Math.floor(status / 100) - 1;
    if (cls >= 0 && cls < 5) this.byClass[cls]!++;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[bucket]!) bucket++;
    this.latency[bucket]!++;
    this.latencySum += ms;
  }

  snapshot(): StatsSnapshot {
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      ...this.live(),
      byClass: [...this.byClass],
      latency: [...this.latency],
      latencySum: this.latencySum,
      ...(this.shadow ? { shadow: this.shadow() } : {}),
    };
  }
}

/**
 * The sum of several processes' snapshots (a prefork pool).
 *
 * @example
 * const pool = mergeSnapshots(workers.map((w) => w.snapshot));
 */
export function mergeSnapshots(snapshots: readonly StatsSnapshot[]): StatsSnapshot {
  const total: StatsSnapshot = {
    pid: process.pid,
    startedAt: Math.min(...snapshots.map((s) => s.startedAt)),
    inFlight: 0,
    queued: 0,
    connections: 0,
    byClass: [0, 0, 0, 0, 0],
    latency: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
    latencySum: 0,
  };
  for (const s of snapshots) {
    total.inFlight += s.inFlight;
    total.queued += s.queued;
    total.connections += s.connections;
    s.byClass.forEach((n, i) => (total.byClass[i]! += n));
    s.latency.forEach((n, i) => (total.latency[i]! += n));
    total.latencySum += s.latencySum;
    if (s.shadow) total.shadow = total.shadow ? addCounters(total.shadow, s.shadow) : s.shadow;
  }
  return total;
}

/** Two processes' shadow counters summed, field by field (the reasons too). */
function addCounters(a: ShadowCounters, b: ShadowCounters): ShadowCounters {
  const sum = structuredClone(a);
  for (const key of Object.keys(sum) as Array<keyof ShadowCounters>) {
    if (key === "reasons") {
      for (const reason of Object.keys(sum.reasons) as Array<keyof ShadowCounters["reasons"]>) {
        sum.reasons[reason] += b.reasons[reason] ?? 0;
      }
    } else sum[key] += b[key] ?? 0;
  }
  return sum;
}

/**
 * The latency below which a fraction `q` of requests finished, read from the histogram (the
 * upper bound of the bucket that reaches it, as Prometheus' histogram_quantile estimates
 * without interpolation); undefined with no requests, Infinity past the last bound.
 *
 * @example
 * quantile(snapshot.latency, 0.99); // 250
 */
export function quantile(latency: readonly number[], q: number): number | undefined {
  const count = latency.reduce((a, b) => a + b, 0);
  if (count === 0) return undefined;
  let seen = 0;
  for (let i = 0; i < latency.length; i++) {
    seen += latency[i]!;
    if (seen >= q * count) return LATENCY_BUCKETS_MS[i] ?? Infinity;
  }
  return Infinity;
}
