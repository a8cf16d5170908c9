import { availableParallelism } from "node:os";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import { runApplication } from "../core/respond.js";
import type { Application, Environ } from "../types.js";
import { ResponseCapture, teeResponse } from "./capture.js";
import { compareAnswers } from "./compare.js";

/** Which side the client is answered by while both run. */
export type ShadowServe = "legacy" | "migrated";

/** Options of {@link createShadow}. */
export interface ShadowOptions {
  /** Share of requests compared, 0 to 1 (default 1: every one the bounds allow). */
  rate?: number;
  /** Which answer the client gets (default `legacy`, the one known to be right). */
  serve?: ShadowServe;
  /** Also run POST, PUT, DELETE, PATCH (and other unsafe methods) twice. Default false. */
  unsafe?: boolean;
  /** Comparisons at once; a request arriving when all are busy is not compared. Default: one per CPU. */
  maxConcurrent?: number;
  /** Largest request or response body compared, in bytes (default 1 MiB). */
  maxBytes?: number;
  /**
   * Milliseconds the side run after the response may take (`serve --timeout`): past it the
   * comparison is given up, counted as `timedOut` and logged, the side's `close()` called
   * and its slot freed, so a module that hangs cannot stop shadowing. Default 60000; 0: none.
   */
  timeout?: number;
  /** Where each difference goes, one JSON line each. */
  log: (line: string) => void;
  /** Draws the sample; defaults to Math.random. */
  random?: () => number;
}

/** Why a request on a shadowed path was not compared. */
export type SkipReason = "unsafe" | "busy" | "large" | "failed";

/** What shadowing has seen so far in this process. */
export interface ShadowCounters {
  agreements: number;
  differences: number;
  /** Comparisons given up because the side run after the response passed the timeout. */
  timedOut: number;
  /** Requests that were to be compared but were not, by reason below. */
  skipped: number;
  reasons: Record<SkipReason, number>;
  /** Requests left out by the sampling rate. */
  unsampled: number;
}

/** A shadowing monitor: pairs of applications to compare, and what it has found. */
export interface Shadow {
  /** The application for one path served by a migrated module with a legacy script. */
  pair(legacy: Application, migrated: Application): Application;
  counters(): ShadowCounters;
  /** The counters in words, for a log line at SIGTERM: `"3 agreed, 1 differed, ..."`. */
  summary(): string;
}

// RFC 9110 section 9.2.1: only these promise not to change anything on the server.
const SAFE = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * Shadows migrated modules with their legacy scripts on live traffic, as GitHub's
 * Scientist and Twitter's Diffy do: the client is answered by one side (the legacy one by
 * default), and for a sampled share of requests the other side runs once that response is
 * over, and the two answers are compared as `verify` compares them; each difference is
 * logged as one JSON line with the request and the first differing byte. The comparison
 * never delays or fails the client's response: it starts after it, at most
 * `maxConcurrent` run at once and a request that finds them all busy is not compared, and
 * its errors stay inside it; a run past `timeout` is given up (counted and logged as timed
 * out) so a hung module cannot keep a slot. Unsafe methods are never run twice unless `unsafe` is set,
 * since a script may write files or a database.
 *
 * @example
 * const shadow = createShadow({ rate: 0.2, log: (line) => process.stderr.write(line) });
 * const app = urlMap({ "/cgi-bin/form.cjs": shadow.pair(legacyScript("cgi-bin/form.cjs"), migrated) });
 * process.on("SIGTERM", () => console.error(`shadow: ${shadow.summary()}`));
 */
export function createShadow(options: ShadowOptions): Shadow {
  const rate = options.rate ?? 1;
  const serveLegacy = (options.serve ?? "legacy") === "legacy";
  const maxConcurrent = options.maxConcurrent ?? availableParallelism();
  const maxBytes = options.maxBytes ?? 1 << 20;
  const random = options.random ?? Math.random;
  const timeout = options.timeout ?? 60_000;
  const counters: ShadowCounters = {
    agreements: 0,
    differences: 0,
    timedOut: 0,
    skipped: 0,
    reasons: { unsafe: 0, busy: 0, large: 0, failed: 0 },
    unsampled: 0,
  };
  let running = 0;
  const skip = (reason: SkipReason): void => {
    counters.skipped++;
    counters.reasons[reason]++;
  };

  function pair(legacy: Application, migrated: Application): Application {
    const [served, other] = serveLegacy ? [legacy, migrated] : [migrated, legacy];
    return (environ, start_response) => {
      if (rate < 1 && random() >= rate) {
        counters.unsampled++;
        return served(environ, start_response);
      }
      if (!SAFE.has(environ.REQUEST_METHOD) && !options.unsafe) {
        skip("unsafe");
        return served(environ, start_response);
      }
      if (Number(environ.CONTENT_LENGTH ?? 0) > maxBytes) {
        skip("large");
        return served(environ, start_response);
      }
      if (running >= maxConcurrent) {
        skip("busy");
        return served(environ, start_response);
      }
      running++;
      const body = environ["wsgi.input"].read();
      const copy = (): Environ => ({ ...environ, "wsgi.input": inputFromBuffer(body) });
      // The other side's errors come too late for the request's own stream: kept for the log.
      let errors = "";
      const shadowEnviron = {
        ...copy(),
        "wsgi.errors": createErrorStream((text) => {
          if (errors.length < 2000) errors += text;
        }),
      };
      const capture = new ResponseCapture(maxBytes);
      return teeResponse(served, copy(), start_response, capture, (complete) => {
        if (!complete || capture.tooLarge) {
          running--;
          skip(complete ? "large" : "failed");
          return;
        }
        // After the response: the server calls close() before it ends the exchange.
        setImmediate(() => {
          compare(other, shadowEnviron, capture, () => errors)
            .catch(() => skip("failed"))
            .finally(() => running--);
        });
      });
    };
  }

  async function compare(
    other: Application,
    environ: Environ,
    served: ResponseCapture,
    errors: () => string,
  ): Promise<void> {
    const capture = new ResponseCapture(maxBytes);
    // Past the deadline the run is abandoned as for a client gone: close() is called, and
    // an application that never returns is left behind.
    const deadline = timeout > 0 ? new AbortController() : undefined;
    const timer = deadline && setTimeout(() => deadline.abort(), timeout).unref();
    try {
      await runApplication(other, environ, capture.sink(deadline?.signal));
    } finally {
      clearTimeout(timer);
    }
    if (deadline?.signal.aborted) {
      counters.timedOut++;
      const details = { side: serveLegacy ? "migrated" : "legacy", timeoutMs: timeout };
      options.log(logLine("timeout", environ, serveLegacy, details, errors()));
      return;
    }
    if (capture.tooLarge) return skip("large");
    const method = environ.REQUEST_METHOD;
    const [legacyAnswer, migratedAnswer] = serveLegacy
      ? [served.answer(method), capture.answer(method)]
      : [capture.answer(method), served.answer(method)];
    const differences = compareAnswers(legacyAnswer, migratedAnswer);
    if (differences.length === 0) {
      counters.agreements++;
      return;
    }
    counters.differences++;
    const details = {
      firstDifferingByte: differences.find((d) => d.what === "body")?.at ?? null,
      differences,
    };
    options.log(logLine("difference", environ, serveLegacy, details, errors()));
  }

  return {
    pair,
    counters: () => structuredClone(counters),
    summary() {
      const { agreements, differences, timedOut, skipped, reasons, unsampled } = counters;
      const why = Object.entries(reasons)
        .filter(([, n]) => n > 0)
        .map(([reason, n]) => `${n} ${reason}`)
        .join(", ");
      const late = timedOut > 0 ? `, ${timedOut} timed out` : "";
      return `${agreements} agreed, ${differences} differed${late}, ${skipped} skipped${why ? ` (${why})` : ""}, ${unsampled} not sampled`;
    },
  };
}

/** One shadow log line: when, what happened, the request, who answered the client, details. */
function logLine(
  shadow: "difference" | "timeout",
  environ: Environ,
  serveLegacy: boolean,
  details: Record<string, unknown>,
  errors: string,
): string {
  const record = {
    time: new Date().toISOString(),
    shadow,
    request: {
      method: environ.REQUEST_METHOD,
      path: environ.SCRIPT_NAME + environ.PATH_INFO,
      query: environ.QUERY_STRING ?? "",
    },
    served: serveLegacy ? "legacy" : "migrated",
    ...details,
    // What the side run after the response wrote to wsgi.errors (a legacy script's stderr).
    ...(errors ? { shadowErrors: errors.slice(0, 2000) } : {}),
  };
  return `${JSON.stringify(record)}\n`;
}
