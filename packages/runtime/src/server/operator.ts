import type { RequestObserver } from "../core/respond.js";
import type { Shadow } from "../shadow/shadow.js";
import type { Application } from "../types.js";
import { accessLogLine, openAccessLog, type AccessLogFormat } from "./access-log.js";
import { ServerStats, type StatsSnapshot } from "./stats.js";
import { withStatusEndpoints } from "./status-app.js";

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

/**
 * Builds the operator features `options` asks for: the application wrapped with the status
 * endpoints, the observer for `runApplication` (undefined when nothing is asked for, so a
 * plain server pays nothing per request) and the counters.
 *
 * @example
 * const { app: served, observe, stats } = operatorHooks(app, options, () => live(), log);
 */
export function operatorHooks(
  app: Application,
  options: OperatorOptions,
  live: () => { inFlight: number; queued: number; connections: number },
  log: (text: string) => void,
): { app: Application; observe: RequestObserver | undefined; stats: ServerStats | undefined } {
  const observers: RequestObserver[] = [];
  let stats: ServerStats | undefined;
  if (options.statusPath || options.pingPath) {
    const shadow = options.shadow;
    const counters = (stats = new ServerStats(live, shadow && (() => shadow.counters())));
    observers.push((_environ, status, _bytes, ms) => counters.record(status, ms));
    const pool = options.statusPool ?? (async (own: StatsSnapshot) => [own]);
    app = withStatusEndpoints(app, {
      statusPath: options.statusPath,
      pingPath: options.pingPath,
      pool: () => pool(counters.snapshot()),
    });
  }
  if (options.accessLog) {
    const write = openAccessLog(options.accessLog, log);
    const format = options.accessLogFormat ?? "combined";
    observers.push((environ, status, bytes, ms) =>
      write(accessLogLine(format, environ, status, bytes, ms)),
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
  const observe: RequestObserver | undefined =
    observers.length === 0
      ? undefined
      : observers.length === 1
        ? observers[0]
        : (...args) => {
            for (const observer of observers) observer(...args);
          };
  return { app, observe, stats };
}
