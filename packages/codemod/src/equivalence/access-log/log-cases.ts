import { createHash } from "node:crypto";
import type { CaseRequest } from "../types.js";
import type { LoggedRequest } from "./parse-line.js";

/** A script under verification and the URL path it answered at. */
export interface ScriptUrl {
  /** Anything that names the script to the caller, e.g. its file. */
  id: string;
  /** URL path, e.g. `/cgi-bin/form.cjs`. */
  url: string;
}

/** The requests of a log that one script will be verified on. */
export interface ScriptLogCases {
  /** Distinct requests (method, path and query) the log holds for the script. */
  distinct: number;
  /** Requests to replay: at most `maxCases` of the replayable distinct ones. */
  cases: CaseRequest[];
  /** Replayable distinct requests left out by the `maxCases` bound. */
  sampledOut: number;
  /** Distinct requests that need a body the log does not hold (`POST /x?y`). */
  notReplayable: string[];
}

/** How {@link casesFromLog} picks requests. */
export interface LogCaseOptions {
  /** At most this many distinct requests per script (default 200). */
  maxCases?: number;
  /**
   * Requests whose bodies replace the ones a log lacks: a logged request with a body-carrying
   * method is replayed once with each of these that has the same method and PATH_INFO.
   */
  bodies?: readonly CaseRequest[];
}

// Methods whose requests carry no body, so the log holds all of them a script reads.
const BODILESS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * Turns logged requests into verify cases per script: each request goes to the script whose
 * URL is its path or a prefix of it followed by `/` (the rest is PATH_INFO; the longest URL
 * wins), requests are de-duplicated by method, path and query, and when more than
 * `maxCases` remain, the ones kept are chosen by a hash of the request, so the same log gives
 * the same cases on every run, spread over the log rather than its first lines. Requests for
 * other paths are only counted.
 *
 * @example
 * const { scripts } = casesFromLog(log.requests, [{ id: "form.cjs", url: "/cgi-bin/form.cjs" }], { maxCases: 50 });
 * scripts.get("form.cjs")?.cases; // [{ name: "GET /cgi-bin/form.cjs?q=1", method: "GET", query: "q=1", ... }]
 */
export function casesFromLog(
  requests: readonly LoggedRequest[],
  scripts: readonly ScriptUrl[],
  options: LogCaseOptions = {},
): { scripts: Map<string, ScriptLogCases>; otherPaths: number } {
  const maxCases = options.maxCases ?? 200;
  const byLength = [...scripts].sort((a, b) => b.url.length - a.url.length);
  const seen = new Map<string, Map<string, { request: LoggedRequest; pathInfo: string }>>();
  let otherPaths = 0;
  for (const request of requests) {
    const script = byLength.find(
      (s) => request.path === s.url || request.path.startsWith(`${s.url}/`),
    );
    if (!script) {
      otherPaths++;
      continue;
    }
    const distinct = seen.get(script.id) ?? new Map();
    seen.set(script.id, distinct);
    const key = `${request.method} ${request.path}?${request.query}`;
    if (!distinct.has(key)) {
      distinct.set(key, { request, pathInfo: request.path.slice(script.url.length) });
    }
  }
  const result = new Map<string, ScriptLogCases>();
  for (const script of scripts) {
    const distinct = [...(seen.get(script.id)?.entries() ?? [])];
    const replayable: Array<[string, CaseRequest]> = [];
    const notReplayable: string[] = [];
    for (const [key, { request, pathInfo }] of distinct) {
      const label = `${request.method} ${request.path}${request.query ? `?${request.query}` : ""}`;
      const base = { method: request.method, path: pathInfo, query: request.query };
      if (BODILESS.has(request.method)) {
        replayable.push([key, { name: label, ...base }]);
        continue;
      }
      const bodies = (options.bodies ?? []).filter(
        (c) => (c.method ?? "GET").toUpperCase() === request.method && (c.path ?? "") === pathInfo,
      );
      if (bodies.length === 0) notReplayable.push(label);
      for (const [i, c] of bodies.entries()) {
        replayable.push([
          `${key} ${i}`,
          { ...c, name: `${label} with the body of "${c.name ?? `case ${i + 1}`}"`, ...base },
        ]);
      }
    }
    const kept = sample(replayable, maxCases);
    result.set(script.id, {
      distinct: distinct.length,
      cases: kept,
      sampledOut: replayable.length - kept.length,
      notReplayable,
    });
  }
  return { scripts: result, otherPaths };
}

// Keeps the `max` entries of smallest hash, in their order in the log.
function sample(entries: Array<[string, CaseRequest]>, max: number): CaseRequest[] {
  if (entries.length <= max) return entries.map(([, c]) => c);
  const rank = (key: string) => createHash("sha256").update(key).digest("hex");
  const chosen = new Set(
    entries
      .map(([key]) => [key, rank(key)] as const)
      .sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .slice(0, max)
      .map(([key]) => key),
  );
  return entries.filter(([key]) => chosen.has(key)).map(([, c]) => c);
}
