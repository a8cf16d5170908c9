import type { ServeProcessOptions as ServeOptions } from "@cgi2wsgi/runtime";
import { UsageError } from "./command.js";

/**
 * `serve`'s options for running in production: deadlines, bounds, lifecycle, logs, status
 * and privileges. Spread into the serve table, which makes both the parser and `--help`.
 */
export const operationOptions = {
  timeout: {
    type: "string",
    argument: "DURATION",
    description:
      "per-request application deadline, e.g. 30s (504, close() called); also legacy CGI scripts' (killed; 30s when not given), the prefork watchdog's and the --shadow side's (default 60s; 0 = none)",
  },
  "header-timeout": {
    type: "string",
    argument: "DURATION",
    description: "total time for a request's header, however it trickles in (408; default 60s)",
  },
  "body-timeout": {
    type: "string",
    argument: "DURATION",
    description: "total time for a request body after its header (408; default 60s)",
  },
  "keepalive-timeout": {
    type: "string",
    argument: "DURATION",
    description: "close a connection idle this long between requests (default 60s)",
  },
  "max-connections": {
    type: "string",
    argument: "N",
    description:
      "open connections per process; at the bound the oldest idle one gives way (default 1000)",
  },
  "max-queue": {
    type: "string",
    argument: "N",
    description: "requests waiting for a --max-concurrency slot; more get 503 (default 16x)",
  },
  "max-requests": {
    type: "string",
    argument: "N",
    description: "a worker that served this many requests is replaced (prefork)",
  },
  "max-requests-jitter": {
    type: "string",
    argument: "N",
    description: "add up to this many at random to --max-requests, so workers restart apart",
  },
  reload: {
    type: "boolean",
    description: "development: restart the workers when a file under the target changes",
  },
  "access-log": {
    type: "string",
    argument: "FILE|-",
    description: "FILE or - (stdout): one line per request",
  },
  "access-log-format": {
    type: "string",
    argument: "FORMAT",
    description: "how each access log line looks",
    choices: ["combined", "json"],
  },
  "slow-request": {
    type: "string",
    argument: "DURATION",
    description: "log requests that take longer than this, e.g. 2s",
  },
  "status-path": {
    type: "string",
    argument: "PATH",
    description: "answer this path with the status page (JSON, or Prometheus text)",
  },
  "ping-path": { type: "string", argument: "PATH", description: "answer this path with pong" },
  user: {
    type: "string",
    argument: "NAME",
    description: "serve as this user once bound (started as root)",
  },
  group: {
    type: "string",
    argument: "NAME",
    description: "serve as this group once bound (started as root)",
  },
} as const;

type Values = {
  [Name in keyof typeof operationOptions]?: (typeof operationOptions)[Name] extends {
    type: "boolean";
  }
    ? boolean
    : string;
};

/**
 * The runtime's serve options from the parsed operation options.
 *
 * @example
 * await serve(app, { protocol, listen, ...operationSettings(values, target) });
 */
export function operationSettings(values: Values, target: string): Partial<ServeOptions> {
  const format = values["access-log-format"];
  if (format !== undefined && format !== "combined" && format !== "json") {
    throw new UsageError(`--access-log-format must be combined or json, got ${format}`);
  }
  return {
    requestTimeout: duration(values.timeout, "--timeout"),
    headerTimeout: duration(values["header-timeout"], "--header-timeout"),
    bodyTimeout: duration(values["body-timeout"], "--body-timeout"),
    idleTimeout: duration(values["keepalive-timeout"], "--keepalive-timeout"),
    maxConnections: count(values["max-connections"], "--max-connections"),
    maxQueue: count(values["max-queue"], "--max-queue"),
    maxRequestsPerWorker: count(values["max-requests"], "--max-requests"),
    maxRequestsJitter: count(values["max-requests-jitter"], "--max-requests-jitter"),
    reload: values.reload ? [target] : undefined,
    accessLog: values["access-log"],
    accessLogFormat: format,
    slowRequestTime: duration(values["slow-request"], "--slow-request"),
    statusPath: path(values["status-path"], "--status-path"),
    pingPath: path(values["ping-path"], "--ping-path"),
    user: values.user,
    group: values.group,
  };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from `30`, `30s`, `500ms`, `2m` or `1h` (plain numbers are seconds, as
 * gunicorn's --timeout).
 *
 * @example
 * duration("1.5s", "--timeout"); // 1500
 */
export function duration(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) {
    throw new UsageError(`${name} must be a duration such as 30s, 500ms or 2m, got ${value}`);
  }
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "s"]!);
}

function count(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number, got ${value}`);
  return Number(value);
}

function path(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!value.startsWith("/"))
    throw new UsageError(`${name} must be a path such as /status, got ${value}`);
  return value;
}
