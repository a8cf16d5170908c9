import type { ShadowCounters } from "../shadow/shadow.js";
import { LATENCY_BUCKETS_MS, quantile, type StatsSnapshot } from "./stats.js";

const CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;
const QUANTILES = [0.5, 0.9, 0.99] as const;

/**
 * The status endpoint's JSON: the pool's figures, and each worker's when prefork.
 *
 * @example
 * statusJson(pool, [pool], 1); // { workers: 1, in_flight: 0, ... }
 */
export function statusJson(
  pool: StatsSnapshot,
  workers: readonly StatsSnapshot[],
): Record<string, unknown> {
  const figures = (s: StatsSnapshot) => ({
    in_flight: s.inFlight,
    queued: s.queued,
    connections: s.connections,
    requests: Object.fromEntries(CLASSES.map((name, i) => [name, s.byClass[i]])),
    latency_ms: Object.fromEntries(
      QUANTILES.map((q) => [`p${q * 100}`, finite(quantile(s.latency, q))]),
    ),
    ...(s.shadow ? { shadow: shadowJson(s.shadow) } : {}),
  });
  return {
    pid: pool.pid,
    start_time: new Date(pool.startedAt).toISOString(),
    uptime_seconds: Math.round((Date.now() - pool.startedAt) / 1000),
    workers: workers.length,
    ...figures(pool),
    processes: workers.map((w) => ({ pid: w.pid, ...figures(w) })),
  };
}

/**
 * The status endpoint in the Prometheus text format (version 0.0.4), for scrapers.
 *
 * @example
 * prometheusText(pool, 4).split("\n")[0]; // "# HELP cgi2wsgi_workers ..."
 */
export function prometheusText(pool: StatsSnapshot, workers: number): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, samples: Array<[string, number]>) => {
    lines.push(`# HELP cgi2wsgi_${name} ${help}`, `# TYPE cgi2wsgi_${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`cgi2wsgi_${name}${labels} ${number(value)}`);
  };
  metric("workers", "gauge", "Processes serving requests.", [["", workers]]);
  metric("requests_in_flight", "gauge", "Requests running the application now.", [
    ["", pool.inFlight],
  ]);
  metric("requests_queued", "gauge", "Requests waiting for a concurrency slot.", [
    ["", pool.queued],
  ]);
  metric("connections", "gauge", "Open connections.", [["", pool.connections]]);
  metric(
    "requests_total",
    "counter",
    "Finished requests by status class.",
    CLASSES.map((name, i) => [`{class="${name}"}`, pool.byClass[i]!]),
  );
  let cumulative = 0;
  const buckets: Array<[string, number]> = pool.latency.map((n, i) => {
    cumulative += n;
    const le = i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i]! / 1000) : "+Inf";
    return [`_bucket{le="${le}"}`, cumulative];
  });
  metric(
    "request_duration_seconds",
    "histogram",
    "Time from the request to the end of its response.",
    [...buckets, ["_sum", pool.latencySum / 1000], ["_count", cumulative]],
  );
  metric(
    "request_duration_quantile_seconds",
    "gauge",
    "Latency quantiles estimated from the histogram (bucket upper bounds).",
    QUANTILES.map((q) => [`{quantile="${q}"}`, (finite(quantile(pool.latency, q)) ?? NaN) / 1000]),
  );
  metric("start_time_seconds", "gauge", "When serving started, seconds since the epoch.", [
    ["", Math.floor(pool.startedAt / 1000)],
  ]);
  const shadow = pool.shadow;
  if (shadow) {
    metric(
      "shadow_comparisons_total",
      "counter",
      "Shadowed requests whose other side ran, by result (timeout: given up past the deadline).",
      [
        ['{result="agreement"}', shadow.agreements],
        ['{result="difference"}', shadow.differences],
        ['{result="timeout"}', shadow.timedOut],
      ],
    );
    metric(
      "shadow_skipped_total",
      "counter",
      "Shadowed requests that were to be compared but were not, by reason.",
      Object.entries(shadow.reasons).map(([reason, n]) => [`{reason="${reason}"}`, n]),
    );
    metric(
      "shadow_unsampled_total",
      "counter",
      "Shadowed requests left out by the sampling rate.",
      [["", shadow.unsampled]],
    );
  }
  return lines.join("\n") + "\n";
}

/** The shadow counters as the JSON status page shows them. */
function shadowJson(counters: ShadowCounters): Record<string, unknown> {
  return {
    agreements: counters.agreements,
    differences: counters.differences,
    timed_out: counters.timedOut,
    skipped: counters.skipped,
    skipped_by_reason: { ...counters.reasons },
    unsampled: counters.unsampled,
  };
}

function finite(value: number | undefined): number | undefined {
  return value === undefined || !Number.isFinite(value) ? undefined : value;
}

function number(value: number): string {
  return Number.isNaN(value) ? "NaN" : String(value);
}
