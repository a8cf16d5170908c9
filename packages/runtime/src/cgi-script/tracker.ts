import { AsyncLocalStorage, createHook } from "node:async_hooks";
import { inspect } from "node:util";

/**
 * What the tracker needs from one running script: a place to count the asynchronous work
 * it started (timers, immediates, ticks, I/O requests) and where its uncaught errors go.
 */
export interface TrackedScript {
  /** Live resources started by the script, by async id. */
  readonly pending: Map<number, { type: string; resource: object }>;
  /** Called whenever a resource of this script is gone: the script may be done now. */
  settle(): void;
  /** An error no code of the script caught (thrown from a callback, or a rejection). */
  crash(error: unknown): void;
  /** Whether the script's request has ended: its later work is ignored. */
  readonly ended: boolean;
}

// Promises hold no work of their own: a pending promise that nothing can resolve does not
// keep a process alive, so it must not keep a request open either.
const UNTRACKED = new Set(["PROMISE", "Microtask"]);

const storage = new AsyncLocalStorage<TrackedScript>();
const owners = new Map<number, TrackedScript>();
let running = 0;
let listening = false;

const hook = createHook({
  init(asyncId, type, _trigger, resource) {
    if (UNTRACKED.has(type)) return;
    const script = storage.getStore();
    if (!script || script.ended) return;
    script.pending.set(asyncId, { type, resource });
    owners.set(asyncId, script);
  },
  destroy(asyncId) {
    const script = owners.get(asyncId);
    if (!script) return;
    owners.delete(asyncId);
    script.pending.delete(asyncId);
    script.settle();
  },
});

/**
 * Runs `fn` as the start of a script's request: every asynchronous resource it (or its
 * callbacks, transitively) creates is counted in `script.pending` until it is destroyed,
 * and errors escaping its callbacks reach `script.crash` instead of ending the server.
 *
 * @example
 * track(script, () => body(io));
 */
export function track<T>(script: TrackedScript, fn: () => T): T {
  listen();
  if (running++ === 0) hook.enable();
  return storage.run(script, fn);
}

/**
 * Stops counting a script's work (its request is over) and forgets its resources.
 *
 * @example
 * untrack(script);
 */
export function untrack(script: TrackedScript): void {
  for (const id of script.pending.keys()) owners.delete(id);
  script.pending.clear();
  if (--running === 0) hook.disable();
}

/**
 * Runs `fn` as part of `script` again, from the gateway's side (for example releasing its
 * held output): what `fn` schedules counts as the script's work.
 *
 * @example
 * within(script, () => resumeWriter());
 */
export function within<T>(script: TrackedScript, fn: () => T): T {
  return storage.run(script, fn);
}

/**
 * The script whose code (or callback of it) is running now, if any.
 *
 * @example
 * const script = currentScript();
 */
export function currentScript(): TrackedScript | undefined {
  return storage.getStore();
}

/**
 * Runs `fn` outside any script's context, so the work it schedules is the gateway's own.
 *
 * @example
 * outside(() => setImmediate(check));
 */
export function outside<T>(fn: () => T): T {
  return storage.exit(fn);
}

// Installed once: an error thrown by a script's callback would otherwise end the whole
// server. Errors that belong to no script keep Node's default: print and exit 1, unless
// the server installed handlers of its own.
function listen(): void {
  if (listening) return;
  listening = true;
  process.on("uncaughtException", (error) => {
    const script = storage.getStore();
    if (script) return script.crash(error);
    if (process.listenerCount("uncaughtException") > 1) return;
    process.stderr.write(`${inspect(error)}\n`);
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    const script = storage.getStore();
    if (script) return script.crash(reason);
    if (process.listenerCount("unhandledRejection") > 1) return;
    process.stderr.write(`${inspect(reason)}\n`);
    process.exit(1);
  });
}
