import cluster from "node:cluster";
import type { Application } from "../types.js";
import { formatListenAddress, inheritedAddress, parseListenAddress } from "./address.js";
import { removeStaleSocket } from "./listen.js";
import {
  NoListenAddressError,
  startServer,
  type RunningServer,
  type StartOptions,
} from "./start.js";
import { guardProcess } from "./crash-guard.js";
import { dropPrivileges } from "./privileges.js";
import { watchForReload } from "./reload-watch.js";
import type { StatsSnapshot } from "./stats.js";
import {
  HEARTBEAT,
  heartbeatInterval,
  RETIRE,
  superviseWorkers,
  type WorkerMessage,
} from "./workers.js";

/**
 * Options of {@link serve}: one process's options plus prefork and lifecycle.
 *
 * @example
 * const options: ServeOptions = { protocol: fastcgi(), listen: ":9000", workers: 4, maxRequestsPerWorker: 10000 };
 */
export interface ServeOptions extends StartOptions {
  /** Prefork worker processes sharing the socket; 0 or 1 serves in this process. */
  workers?: number;
  /** A worker that has served this many requests drains and is replaced. Default: never. */
  maxRequestsPerWorker?: number;
  /**
   * Up to this many requests added at random to each worker's `maxRequestsPerWorker`, so
   * workers started together do not all restart together (gunicorn's
   * `--max-requests-jitter`). Default: 0.
   */
  maxRequestsJitter?: number;
  /**
   * Milliseconds a prefork worker's event loop may stay blocked before it is killed and
   * replaced: its watchdog thread first answers 504 to each request in flight whose response
   * has not begun (see `stuckTimeout`), and the primary kills it itself should the thread
   * not have done so within a second or two more. Default: `requestTimeout` (60000), as
   * gunicorn's one `--timeout`.
   */
  watchdogTimeout?: number;
  /**
   * Development: files or directories to watch; a change reloads the workers, as SIGHUP
   * does (implies the prefork primary, with one worker unless `workers` says more).
   */
  reload?: readonly string[];
  /** Serve as this user once the socket is bound (started as root). Prefork: the workers. */
  user?: string | number;
  /** Serve as this group once the socket is bound (started as root). */
  group?: string | number;
  /** Milliseconds SIGTERM waits for in-flight requests before cutting them. Default: 30000. */
  drainTimeout?: number;
  /**
   * Called once listening (in the primary, with workers), with the address as
   * `HOST:PORT`, `unix:/path` or `fd:N`; replaces the default start-up log line.
   */
  onListening?: (address: string, workers: number) => void;
}

const WORKER_ADDRESS = "CGI2WSGI_WORKER_LISTEN";
const WORKER_HEARTBEAT = "CGI2WSGI_WORKER_HEARTBEAT";
const WORKER_WATCHDOG = "CGI2WSGI_WORKER_WATCHDOG";

/**
 * Serves `app` until SIGTERM or SIGINT, the entry point of `cgi2wsgi serve`: listens where
 * `options.listen` says (or on the inherited socket: systemd `LISTEN_FDS`, or fd 0 as
 * lighttpd `bin-path` and spawn-fcgi hand it over), in this process or with `workers`
 * prefork processes (node:cluster, each accepting on the shared socket itself; a dead worker
 * is replaced, and one is recycled after `maxRequestsPerWorker`). The first signal drains
 * in-flight requests, then exits; a second one exits at once. Workers re-run the main
 * module, which calls `serve` again and so becomes a worker.
 *
 * @example
 * await serve(application, { protocol: fastcgi(), listen: "unix:/run/app.sock", workers: 4, maxConcurrency: 8 });
 */
export async function serve(app: Application, options: ServeOptions): Promise<void> {
  if (cluster.isWorker) return runWorker(app, options);
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  if ((options.workers ?? 0) > 1 || options.reload?.length) {
    const workers = Math.max(1, options.workers ?? 1);
    const address =
      typeof options.listen === "string"
        ? parseListenAddress(options.listen)
        : (options.listen ?? inheritedAddress());
    if (!address) throw new NoListenAddressError();
    if (address.kind === "unix") await removeStaleSocket(address.path);
    const watchdogTimeout = options.watchdogTimeout ?? options.requestTimeout ?? 60_000;
    const beat = watchdogTimeout > 0 ? heartbeatInterval(watchdogTimeout) : 0;
    const supervisor = superviseWorkers({
      workers,
      env: {
        [WORKER_ADDRESS]: formatListenAddress(address),
        [WORKER_HEARTBEAT]: String(beat),
        [WORKER_WATCHDOG]: String(watchdogTimeout),
      },
      log,
      // Each worker's own watchdog thread acts at watchdogTimeout (504 to what it can, then
      // the kill); the primary kills a moment later, should that thread not have.
      watchdogTimeout: watchdogTimeout > 0 ? watchdogTimeout + 2 * beat + 1000 : 0,
    });
    onSignals(
      log,
      () => supervisor.stop(options.drainTimeout ?? 30_000),
      () => supervisor.kill(),
    );
    process.on("SIGHUP", () => supervisor.reload());
    // logrotate signals the primary; the workers hold the access log. Listening here also
    // keeps node from opening its inspector on SIGUSR1, which it does for a process without.
    const accessLogFile = options.accessLog !== undefined && options.accessLog !== "-";
    process.on("SIGUSR1", () => {
      if (!accessLogFile) return log("cgi2wsgi: SIGUSR1: no access log file to reopen\n");
      supervisor.signal("SIGUSR1");
    });
    if (options.reload?.length) watchForReload(options.reload, log, () => supervisor.reload());
    // Report once a worker really listens: with port 0 only then is the port known.
    cluster.once("listening", (_worker, bound) => {
      const shown =
        address.kind === "tcp"
          ? formatListenAddress({
              kind: "tcp",
              host: bound.address ?? address.host,
              port: bound.port,
            })
          : formatListenAddress(address);
      if (options.onListening) options.onListening(shown, workers);
      else log(`cgi2wsgi: ${options.protocol.name} on ${shown}, ${workers} workers\n`);
    });
    await supervisor.stopped;
    return;
  }
  const running = await startServer(app, options);
  try {
    dropPrivileges(options);
  } catch (error) {
    await running.close(0);
    throw error;
  }
  // Only once serving: an error while starting must still stop the process.
  guardProcess(log);
  process.on("SIGHUP", () =>
    log(
      "cgi2wsgi: SIGHUP: a single process cannot load the application afresh; kept serving (run with --workers 2 or more to reload on SIGHUP)\n",
    ),
  );
  if (options.onListening) options.onListening(running.address, 1);
  else log(`cgi2wsgi: ${options.protocol.name} on ${running.address}, pid ${process.pid}\n`);
  await new Promise<void>((resolve) => {
    onSignals(
      log,
      () => running.close(options.drainTimeout ?? 30_000).then(resolve),
      () => process.exit(1),
    );
  });
}

async function runWorker(app: Application, options: ServeOptions): Promise<void> {
  let served = 0;
  const jitter = Math.floor(Math.random() * ((options.maxRequestsJitter ?? 0) + 1));
  const limit = (options.maxRequestsPerWorker ?? Infinity) + jitter;
  const log = options.log ?? ((text: string) => void process.stderr.write(text));
  const drainTimeout = options.drainTimeout ?? 30_000;
  const running = await startServer(app, {
    ...options,
    listen: process.env[WORKER_ADDRESS] ?? options.listen,
    multiprocess: true,
    removeStale: false,
    statusPool: askPrimary,
    stuckTimeout: Number(process.env[WORKER_WATCHDOG] ?? 0) || options.stuckTimeout,
    onRequestFinished() {
      options.onRequestFinished?.();
      // Recycling: the primary starts a successor, then sends SIGTERM, which drains.
      if (++served !== limit) return;
      log(
        `cgi2wsgi: worker ${process.pid} served its ${limit} requests (max-requests ${options.maxRequestsPerWorker} + jitter ${jitter}); a successor takes over\n`,
      );
      process.send?.(RETIRE, undefined, {}, () => {});
    },
  });
  // The primary bound the shared socket as root; the worker serves as the user asked for.
  dropPrivileges(options);
  guardProcess(log);
  const beat = Number(process.env[WORKER_HEARTBEAT] ?? 0) || (running.stats ? 1000 : 0);
  if (beat > 0) {
    setInterval(() => {
      const stats = running.stats?.snapshot();
      process.send?.(stats ? ({ cgi2wsgi: "beat", stats } satisfies WorkerMessage) : HEARTBEAT);
    }, beat).unref();
  }
  const stop = (): void => void running.close(drainTimeout).then(() => process.exit(0));
  process.once("SIGTERM", stop);
  // Ctrl-C reaches the whole process group; the primary decides, workers wait for SIGTERM.
  process.on("SIGINT", () => {});
  // So does a SIGHUP sent to the group (a closed terminal): the primary reloads.
  process.on("SIGHUP", () => {});
  await new Promise<void>(() => {});
}

let statusRequests = 0;

/** The pool's snapshots for a worker's status page: the others' from the primary, its own fresh. */
function askPrimary(own: StatsSnapshot): Promise<StatsSnapshot[]> {
  const id = ++statusRequests;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish([]), 1000);
    const onMessage = (message: WorkerMessage): void => {
      if (message?.cgi2wsgi === "status" && message.id === id) finish(message.snapshots ?? []);
    };
    const finish = (others: StatsSnapshot[]): void => {
      clearTimeout(timer);
      process.off("message", onMessage);
      resolve([own, ...others.filter((s) => s.pid !== own.pid)]);
    };
    process.on("message", onMessage);
    process.send?.({ cgi2wsgi: "status?", id } satisfies WorkerMessage);
  });
}

/** The first SIGTERM/SIGINT drains, a second one stops at once. */
function onSignals(log: (text: string) => void, drain: () => void, now: () => void): void {
  let received = 0;
  const handler = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) {
      log(`cgi2wsgi: ${signal}: finishing in-flight requests (send it again to stop now)\n`);
      drain();
    } else {
      log(`cgi2wsgi: ${signal} again: stopping now\n`);
      now();
    }
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
