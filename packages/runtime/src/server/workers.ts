import cluster, { type Worker } from "node:cluster";
import type { StatsSnapshot } from "./stats.js";

/**
 * The message a worker sends when it has served its quota and wants a successor.
 *
 * @example
 * process.send?.(RETIRE); // from a worker that has served its quota
 */
export const RETIRE = "cgi2wsgi:retire";

/**
 * The message a worker sends every {@link heartbeatInterval} ms while its event loop runs.
 *
 * @example
 * setInterval(() => process.send?.(HEARTBEAT), heartbeatInterval(30_000)).unref();
 */
export const HEARTBEAT = "cgi2wsgi:beat";

/**
 * Messages between a worker and its primary besides {@link RETIRE} and {@link HEARTBEAT}: a
 * heartbeat that carries the worker's status counters, and a status page's request for
 * the pool's figures and its answer.
 *
 * @example
 * process.send?.({ cgi2wsgi: "beat", stats: running.stats.snapshot() } satisfies WorkerMessage);
 */
export interface WorkerMessage {
  cgi2wsgi: "beat" | "status?" | "status";
  stats?: StatsSnapshot;
  id?: number;
  snapshots?: StatsSnapshot[];
}

/**
 * How often a worker reports it is alive, for a watchdog timeout of `timeout` ms.
 *
 * @example
 * heartbeatInterval(30_000); // 1000
 */
export function heartbeatInterval(timeout: number): number {
  return Math.max(20, Math.min(1000, Math.floor(timeout / 4)));
}

/**
 * Options of {@link superviseWorkers}.
 *
 * @example
 * const options: SuperviseOptions = { workers: 4, log: (text) => process.stderr.write(text) };
 */
export interface SuperviseOptions {
  workers: number;
  /** Extra environment of every worker. */
  env?: Record<string, string>;
  log: (text: string) => void;
  /**
   * Milliseconds a worker's event loop may stay silent (no {@link HEARTBEAT}) before it is
   * killed and replaced, as gunicorn's arbiter does: a synchronous endless loop in one
   * request must not take the worker's other requests with it forever. 0: never.
   */
  watchdogTimeout?: number;
}

/**
 * The prefork primary: the running workers and how to stop them.
 *
 * @example
 * const supervisor = superviseWorkers({ workers: 4, log: console.error });
 * process.on("SIGTERM", () => supervisor.stop(30_000));
 * await supervisor.stopped;
 */
export interface Supervisor {
  /** Pids of the live workers. */
  readonly pids: number[];
  /** Sends SIGTERM to every worker (each drains), SIGKILL after `timeout` ms. */
  stop(timeout: number): void;
  /** Kills every worker now. */
  kill(): void;
  /**
   * Sends `signal` to every worker that listens (SIGUSR1: reopen the access log); one still
   * starting has not set up its handlers yet and is left out.
   */
  signal(signal: NodeJS.Signals): void;
  /**
   * Graceful reload (SIGHUP): starts a fresh set of workers, which load the application
   * anew, and retires an old one (drain, then exit) as each new one listens.
   */
  reload(): void;
  /** Resolves once every worker has exited after stop() or kill(). */
  readonly stopped: Promise<void>;
}

/**
 * Forks `workers` processes that re-run the main module (node:cluster), replacing any that
 * exits while the supervisor is not stopping. A worker that sends {@link RETIRE} gets a
 * successor first and SIGTERM (drain) once the successor listens. Workers
 * accept on the shared socket themselves (scheduling policy "none"): the primary never
 * touches a request, so it cannot become the bottleneck.
 *
 * @example
 * const supervisor = superviseWorkers({ workers: 2, env: { MY_ADDRESS: "unix:/run/a.sock" }, log });
 */
export function superviseWorkers(options: SuperviseOptions): Supervisor {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  const live = new Set<Worker>();
  let stopping = false;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let recentDeaths: number[] = [];
  const retired = new WeakSet<Worker>();

  const lastBeat = new Map<Worker, number>();
  const listening = new WeakSet<Worker>();
  const snapshots = new Map<Worker, StatsSnapshot>();
  // Start the successor first and retire the old worker once it accepts: the shared socket
  // always has a worker, so no connection is refused during recycling or reloading.
  const replace = (worker: Worker): void => {
    if (stopping || retired.has(worker)) return;
    retired.add(worker);
    fork().once("listening", () => worker.process.kill("SIGTERM"));
  };
  const fork = (): Worker => {
    const worker = cluster.fork(options.env);
    live.add(worker);
    worker.once("listening", () => {
      lastBeat.set(worker, Date.now());
      listening.add(worker);
    });
    worker.on("message", (message: unknown) => {
      if (message === RETIRE) return replace(worker);
      if (message === HEARTBEAT) return void lastBeat.set(worker, Date.now());
      const { cgi2wsgi, stats, id } = (message ?? {}) as WorkerMessage;
      if (cgi2wsgi === "beat") {
        lastBeat.set(worker, Date.now());
        if (stats) snapshots.set(worker, stats);
      } else if (cgi2wsgi === "status?") {
        // Any worker answers the status page for the pool, from the others' last beats.
        const reply: WorkerMessage = { cgi2wsgi: "status", id, snapshots: [...snapshots.values()] };
        worker.send(reply);
      }
    });
    worker.on("exit", (code, signal) => {
      live.delete(worker);
      lastBeat.delete(worker);
      snapshots.delete(worker);
      if (stopping) {
        if (live.size === 0) resolveStopped();
        return;
      }
      if (retired.has(worker)) return;
      const reason = signal ? `signal ${signal}` : `code ${code}`;
      options.log(`cgi2wsgi: worker ${worker.process.pid} exited (${reason}); starting another\n`);
      // A worker that dies at once (a broken app) must not turn into a fork storm.
      const now = Date.now();
      recentDeaths = recentDeaths.filter((t) => now - t < 1000);
      recentDeaths.push(now);
      setTimeout(fork, recentDeaths.length > options.workers ? 1000 : 0);
    });
    return worker;
  };
  for (let i = 0; i < options.workers; i++) fork();
  const watchdog = options.watchdogTimeout ?? 0;
  if (watchdog > 0) {
    setInterval(() => {
      const now = Date.now();
      for (const [worker, beat] of lastBeat) {
        if (now - beat <= watchdog || stopping) continue;
        lastBeat.delete(worker);
        options.log(
          `cgi2wsgi: worker ${worker.process.pid} did not answer for ${now - beat} ms (an application stuck in a synchronous loop?); killing it and starting another\n`,
        );
        worker.process.kill("SIGKILL");
      }
    }, heartbeatInterval(watchdog)).unref();
  }

  const signalAll = (signal: NodeJS.Signals, only?: WeakSet<Worker>): void => {
    for (const worker of live) if (!only || only.has(worker)) worker.process.kill(signal);
  };
  return {
    get pids() {
      return [...live].map((w) => w.process.pid!);
    },
    stop(timeout) {
      stopping = true;
      if (live.size === 0) resolveStopped();
      signalAll("SIGTERM");
      setTimeout(() => signalAll("SIGKILL"), timeout).unref();
    },
    kill() {
      stopping = true;
      if (live.size === 0) resolveStopped();
      signalAll("SIGKILL");
    },
    signal(signal) {
      signalAll(signal, listening);
    },
    reload() {
      options.log(
        `cgi2wsgi: reloading: starting ${options.workers} new workers, retiring the old\n`,
      );
      for (const worker of [...live]) replace(worker);
    },
    stopped,
  };
}
