import type { Application } from "../types.js";
import { mergeSnapshots, type StatsSnapshot } from "./stats.js";
import { prometheusText, statusJson } from "./status-page.js";

/**
 * Where the status and ping pages live, and how to gather the pool's figures.
 *
 * @example
 * const endpoints: StatusEndpoints = { statusPath: "/status", pingPath: "/ping", pool: async () => [stats.snapshot()] };
 */
export interface StatusEndpoints {
  statusPath?: string;
  pingPath?: string;
  /** Every process's snapshot (this one's only, unless prefork). */
  pool(): Promise<StatsSnapshot[]>;
}

/**
 * Wraps `app` with php-fpm's `pm.status_path` and `ping.path`: the status page as JSON, or
 * in the Prometheus text format for `?prometheus`, `?openmetrics` or a scraper's Accept
 * header; the ping page answers `pong`. Matched on the request path (REQUEST_URI, else
 * SCRIPT_NAME + PATH_INFO); every other request goes to `app`. Restrict who may reach them
 * in the front server, as php-fpm's documentation says for its own.
 *
 * @example
 * const served = withStatusEndpoints(app, { statusPath: "/status", pool: async () => [stats.snapshot()] });
 */
export function withStatusEndpoints(app: Application, endpoints: StatusEndpoints): Application {
  return async (environ, start) => {
    const uri = environ.REQUEST_URI;
    const path = uri ? uri.split("?")[0] : (environ.SCRIPT_NAME ?? "") + (environ.PATH_INFO ?? "");
    const nocache: Array<[string, string]> = [["Cache-Control", "no-store"]];
    if (path === endpoints.pingPath) {
      start("200 OK", [["Content-Type", "text/plain"], ...nocache]);
      return ["pong\n"];
    }
    if (path !== endpoints.statusPath) return app(environ, start);
    const snapshots = await endpoints.pool();
    const pool = mergeSnapshots(snapshots);
    const query = environ.QUERY_STRING ?? "";
    const accept = String(environ.HTTP_ACCEPT ?? "");
    if (
      /(^|&)(prometheus|openmetrics)(=|&|$)/.test(query) ||
      /text\/plain|openmetrics/.test(accept)
    ) {
      start("200 OK", [["Content-Type", "text/plain; version=0.0.4; charset=utf-8"], ...nocache]);
      return [prometheusText(pool, snapshots.length)];
    }
    start("200 OK", [["Content-Type", "application/json"], ...nocache]);
    return [JSON.stringify(statusJson(pool, snapshots), null, 2) + "\n"];
  };
}
