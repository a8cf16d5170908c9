import type { RequestObserver } from "../core/respond.js";
import type { Shadow } from "../shadow/shadow.js";
import type { Application } from "../types.js";
import { accessLogLine, openAccessLog, type AccessLogFormat } from "./access-log.js";
import { ServerStats, type StatsSnapshot } from "./stats.js";
import { withStatusEndpoints } from "./status-app.js";
import type { RefusalObserver } from "./types.js";

/**
 * What operators read: an access log, a slow-request log and the status and ping pages.
 *
 * @example
 * const options: OperatorOptions = { accessLog: "-", accessLogFormat: "json", statusPath: "/status" };
 */
export interface OperatorOptions {
  /** `-` for stdout or a file to append to; one line per finished request. */
  accessLog?: string;
  /** Default: `combined`. */
  accessLogFormat?: AccessLogFormat;
  /** Requests that take longer than this many milliseconds are logged to the server log. */
  slowRequestTime?: number;
  /** A path answered with the status page (JSON or Prometheus text) instead of the app. */
  statusPath?: string;
  /** A path answered with `pong`. */
  pingPath?: string;
  /**
   * Gathers the pool's snapshots, given this process's own (prefork workers ask the
   * primary). Default: this process's only.
   */
  statusPool?: (own: StatsSnapshot) => Promise<StatsSnapshot[]>;
  /**
   * The shadowing monitor of this process (`serve --shadow`): its counters appear on the
   * status page, summed across the pool as the other totals.
   */
  shadow?: Pick<Shadow, "counters">;
}

/** What {@link operatorHooks} builds. */
interface OperatorHooks {
  app: Application;
  observe: RequestObserver | undefined;
  observeRefusal: RefusalObserver | undefined;
  stats: ServerStats | undefined;
  /** Releases what the hooks hold open (the access log file); called once the server closed. */
  close: () => void;
}

/**
 * Builds the operator features `options` asks for: the application wrapped with the status
 * endpoints, the observer for `runApplication` and the one for the gateway's own answers
 * (undefined when nothing is asked for, so a plain server pays nothing per request), the
 * counters, and what closes the access log once the server has closed.
 *
 * @example
 * const { app: served, observe, observeRefusal, stats, close } = operatorHooks(app, options, () => live(), log);
 */
export function operatorHooks(
  app: Application,
  options: OperatorOptions,
  live: () => { inFlight: number; queued: number; connections: number },
  log: (text: string) => void,
): OperatorHooks {
  const observers: RequestObserver[] = [];
  // The gateway's own answers (408, 413, 503, ...) reach the access log and the status
  // totals as the application's do; the slow-request log is about the application.
  const refusals: RefusalObserver[] = [];
  let stats: ServerStats | undefined;
  if (options.statusPath || options.pingPath) {
    const shadow = options.shadow;
    const counters = (stats = new ServerStats(live, shadow && (() => shadow.counters())));
    observers.push((_environ, status, _bytes, ms) => counters.record(status, ms));
    refusals.push((_meta, status, _bytes, ms) => counters.record(status, ms));
    const pool = options.statusPool ?? (async (own: StatsSnapshot) => [own]);
    app = withStatusEndpoints(app, {
      statusPath: options.statusPath,
      pingPath: options.pingPath,
      pool: () => pool(counters.snapshot()),
    });
  }
  let close = (): void => {};
  if (options.accessLog) {
    const accessLog = openAccessLog(options.accessLog, log);
    const write = (line: string): void => accessLog.write(line);
    close = () => accessLog.close();
    const format = options.accessLogFormat ?? "combined";
    observers.push((environ, status, bytes, ms) =>
      write(accessLogLine(format, environ, status, bytes, ms)),
    );
    refusals.push((meta, status, bytes, ms) =>
      write(accessLogLine(format, meta, status, bytes, ms)),
    );
  }
  const slow = options.slowRequestTime;
  if (slow !== undefined && slow > 0) {
    observers.push((environ, status, _bytes, ms) => {
      if (ms < slow) return;
      log(
        `cgi2wsgi: slow request: ${environ.REQUEST_METHOD} ${environ.REQUEST_URI ?? environ.PATH_INFO} took ${Math.round(ms)} ms (status ${status}; --slow-request ${slow})\n`,
      );
    });
  }
  return { app, observe: fanOut(observers), observeRefusal: fanOut(refusals), stats, close };
}

/** One callback that calls each of `callbacks`; undefined for none. */
function fanOut<Args extends unknown[]>(
  callbacks: Array<(...args: Args) => void>,
): ((...args: Args) => void) | undefined {
  if (callbacks.length <= 1) return callbacks[0];
  return (...args) => {
    for (const callback of callbacks) callback(...args);
  };
}
