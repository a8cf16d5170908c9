import { createHook, executionAsyncResource, type HookCallbacks } from "node:async_hooks";
import { inspect } from "node:util";

/**
 * What the tracker needs from one running script: a place to count the asynchronous work
 * it started (timers, immediates, ticks, I/O requests) and where its uncaught errors go.
 */
export interface TrackedScript {
  /** Live resources started by the script, by async id. */
  readonly pending: Map<number, { type: string; resource: object }>;
  /** The tracker's own bookkeeping for this script; make it with {@link trackState}. */
  readonly tracking: TrackState;
  /**
   * Called whenever a resource of this script is gone: the script may be done now
   * (`later`: from a hook, so not at once).
   */
  settle(later?: boolean): void;
  /** An error no code of the script caught (thrown from a callback, or a rejection). */
  crash(error: unknown): void;
  /** Whether the script's request has ended: its later work is ignored. */
  readonly ended: boolean;
}

/** Per script: why the process-wide hooks must be on for it. */
export interface TrackState {
  /** Callbacks of the script running now (nested). */
  depth: number;
  /** Pending resources whose callbacks only the hooks can see (I/O and the like). */
  io: number;
  /** It made a promise or a microtask: their continuations are its code, seen by the hooks. */
  promised: boolean;
  /** Counted in `initUsers` / `contextUsers` / `destroyUsers`. */
  usesInit: boolean;
  usesContext: boolean;
  usesDestroy: boolean;
}

/**
 * Fresh bookkeeping for a script that has not run yet.
 *
 * @example
 * readonly tracking = trackState();
 */
export function trackState(): TrackState {
  return {
    depth: 0,
    io: 0,
    promised: false,
    usesInit: false,
    usesContext: false,
    usesDestroy: false,
  };
}

// Promises hold no work of their own: a pending promise that nothing can resolve does not
// keep a process alive, so it must not keep a request open either.
const UNTRACKED = new Set(["PROMISE", "Microtask"]);
// Resources whose callback the tracker wraps (it sees the script's code start and end
// without any hook) and whose end it can tell from the object itself.
const CALLBACK_KEY: Record<string, string> = {
  Timeout: "_onTimeout",
  Immediate: "_onImmediate",
  TickObject: "callback",
};
const OWNER = Symbol("cgi2wsgi.script");

// Wrapping reads Node's own timer objects: their callback property and whether they are
// over. Both have been there since Node 11, but are not public; a Node where a probe finds
// them changed gets the tracking I/O has (the hooks' before, after and destroy), slower
// but built on public API alone.
let wrapping: boolean | undefined;

function probeTimers(): boolean {
  const timeout = setTimeout(noop, 2 ** 30) as unknown as Record<string, unknown>;
  const immediate = setImmediate(noop) as unknown as Record<string, unknown>;
  const before =
    typeof timeout._onTimeout === "function" &&
    timeout._destroyed === false &&
    typeof immediate._onImmediate === "function" &&
    immediate._destroyed === false;
  clearTimeout(timeout as unknown as NodeJS.Timeout);
  clearImmediate(immediate as unknown as NodeJS.Immediate);
  return before && timeout._destroyed === true && immediate._destroyed === true;
}

function noop(): void {}

/**
 * Whether the tracker's hooks are on now: for tests that no script leaves them on.
 *
 * @example
 * expect(hooksOn()).toEqual({ init: false, context: false, destroy: false });
 */
export function hooksOn(): { init: boolean; context: boolean; destroy: boolean } {
  return { init: initHook.enabled, context: contextHook.enabled, destroy: destroyHook.enabled };
}

/**
 * Whether the tracker wraps timers, immediates and ticks (`undefined`: as a probe of this
 * Node finds). For tests of the path a Node without the expected timer objects takes.
 *
 * @example
 * useTimerInternals(false);
 */
export function useTimerInternals(on: boolean | undefined): void {
  wrapping = on;
}

// The hooks cost every asynchronous resource of the process (the server's own sockets,
// timers and promises) while they are on, so they are on only while some script needs
// them: while its code runs, while it waits on I/O (whose callbacks only `before` can
// attribute), or once it made promises (their continuations run in no callback of ours).
// A script waiting on timers, immediates or ticks alone keeps them off.
let current: TrackedScript | undefined;
// What `before` replaced, for its `after`: the script it set and the one before it, at the
// same depth of two stacks (no pair allocated per callback: the server's own callbacks
// pass through here too while the hooks are on).
const ownerStack: Array<TrackedScript | undefined> = [];
const previousStack: Array<TrackedScript | undefined> = [];
let stackDepth = 0;
const owners = new Map<number, TrackedScript>();
let initUsers = 0;
let contextUsers = 0;
let destroyUsers = 0;
let listening = false;

// Three hooks, each on only while some script needs it: `init` sees what a script's code
// creates (on while that code runs, or may run: in I/O and promise callbacks); `before` and
// `after` tell whose code an I/O or promise callback is (the tracker's own wrapping tells
// it for timers, immediates and ticks, so a script waiting on those alone spares every
// callback of the process the two calls); `destroy` tells when an I/O resource is gone.
const initHook = lazyHook(() => initUsers, {
  init(asyncId, type, _trigger, resource) {
    const script = current;
    if (!script || script.ended) return;
    if (UNTRACKED.has(type)) {
      (resource as Record<symbol, unknown>)[OWNER] = script;
      if (!script.tracking.promised) {
        script.tracking.promised = true;
        refresh(script);
      }
      return;
    }
    script.pending.set(asyncId, { type, resource });
    const key = wrapping ? CALLBACK_KEY[type] : undefined;
    if (key && typeof (resource as Record<string, unknown>)[key] === "function") {
      return wrap(script, asyncId, type, resource as Record<string, unknown>, key);
    }
    // Marked only where `before` must find the owner: a mark on Node's own timer and tick
    // objects would give them a second shape in Node's hot paths.
    (resource as Record<symbol, unknown>)[OWNER] = script;
    owners.set(asyncId, script);
    script.tracking.io++;
    refresh(script);
  },
});

const contextHook = lazyHook(
  () => contextUsers,
  {
    before() {
      const owner = (executionAsyncResource() as Record<symbol, TrackedScript | undefined>)[OWNER];
      ownerStack[stackDepth] = owner;
      previousStack[stackDepth] = current;
      stackDepth++;
      current = owner;
      if (owner) owner.tracking.depth++;
    },
    after() {
      // A callback that began while the hook was off has no entry: its `after` changes nothing.
      if (stackDepth === 0) return;
      stackDepth--;
      const owner = ownerStack[stackDepth];
      current = previousStack[stackDepth];
      ownerStack[stackDepth] = previousStack[stackDepth] = undefined;
      if (owner) {
        owner.tracking.depth--;
        refresh(owner);
      }
    },
  },
  clearStack,
);

const destroyHook = lazyHook(() => destroyUsers, {
  destroy(asyncId) {
    const script = owners.get(asyncId);
    if (!script) return;
    owners.delete(asyncId);
    if (script.pending.delete(asyncId)) script.tracking.io--;
    refresh(script);
    script.settle(true);
  },
});

// Turning a hook on or off costs about a microsecond (Node resets its promise hooks), and
// leaving it on costs every promise and callback of the server's own meanwhile. So one no
// script needs goes off after the current callback's ticks and microtasks (a stream's
// chain of ticks shares one switch), or at once after a synchronous part (track).
// `stopped`: runs each time the hook goes off.
function lazyHook(users: () => number, callbacks: HookCallbacks, stopped = noop) {
  const hook = createHook(callbacks);
  let enabled = false;
  let closing = false;
  const off = () => {
    if (!enabled) return;
    enabled = false;
    hook.disable();
    stopped();
  };
  const close = () => {
    closing = false;
    if (users() === 0) off();
  };
  return {
    get enabled() {
      return enabled;
    },
    on() {
      if (enabled) return;
      enabled = true;
      hook.enable();
    },
    off,
    offSoon() {
      if (closing || !enabled) return;
      closing = true;
      outside(() => queueMicrotask(close));
    },
  };
}

// Runs the script's own callback as its code; it stops being pending as it starts (a
// repeating timer stays pending until it is cleared).
function wrap(
  script: TrackedScript,
  asyncId: number,
  type: string,
  resource: Record<string, unknown>,
  key: string,
): void {
  const callback = resource[key] as (...args: unknown[]) => unknown;
  resource[key] = function (this: unknown, ...args: unknown[]) {
    // Running, it is no longer pending (so the refresh after it sees what is left), unless
    // it repeats.
    if (type !== "Timeout" || !resource._repeat) script.pending.delete(asyncId);
    try {
      return enter(script, () => callback.apply(this, args));
    } catch (error) {
      script.crash(error);
    } finally {
      script.settle();
    }
  };
}

function awaitsTicks(script: TrackedScript): boolean {
  if (script.ended) return false;
  for (const entry of script.pending.values()) if (entry.type === "TickObject") return true;
  return false;
}

function clearStack(): void {
  for (let i = 0; i < stackDepth; i++) ownerStack[i] = previousStack[i] = undefined;
  stackDepth = 0;
}

// `now`: a hook no script needs goes off at once rather than after the current callback.
function refresh(script: TrackedScript, now = false): void {
  const state = script.tracking;
  const live = !script.ended;
  const waits = live && (state.io > 0 || state.promised);
  const init = waits || (live && state.depth > 0);
  if (init !== state.usesInit) {
    state.usesInit = init;
    initUsers += init ? 1 : -1;
    if (init) initHook.on();
    // A script with ticks queued runs again before anything else does (a stream's chain of
    // them): the hook stays on for them rather than going off and on again.
    else if (initUsers === 0 && !awaitsTicks(script)) {
      if (now) initHook.off();
      else initHook.offSoon();
    }
  }
  if (waits !== state.usesContext) {
    state.usesContext = waits;
    contextUsers += waits ? 1 : -1;
    if (waits) contextHook.on();
    else if (contextUsers === 0) contextHook.offSoon();
  }
  const destroy = live && state.io > 0;
  if (destroy !== state.usesDestroy) {
    state.usesDestroy = destroy;
    destroyUsers += destroy ? 1 : -1;
    if (destroy) destroyHook.on();
    else if (destroyUsers === 0) destroyHook.offSoon();
  }
}

function enter<T>(script: TrackedScript, fn: () => T, now = false): T {
  const previous = current;
  current = script;
  script.tracking.depth++;
  refresh(script);
  try {
    return fn();
  } finally {
    script.tracking.depth--;
    current = previous;
    refresh(script, now);
  }
}

/**
 * Runs `fn` as the start of a script's request: every asynchronous resource it (or its
 * callbacks, transitively) creates is counted in `script.pending` until it is done, and
 * errors escaping its callbacks reach `script.crash` instead of ending the server.
 *
 * @example
 * track(script, () => body(io));
 */
export function track<T>(script: TrackedScript, fn: () => T): T {
  listen();
  // Probed here, before any hook is on: the probe's own timers must not reach init.
  wrapping ??= outside(probeTimers);
  // A script that scheduled nothing in its synchronous part (most) needs no hook after it:
  // turned off at once, the server's own work after it does not pay for it.
  return enter(script, fn, true);
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
  script.tracking.io = 0;
  refresh(script);
  // One kept on for the script's queued ticks goes now that they will not run as its.
  if (initUsers === 0) initHook.offSoon();
}

/**
 * Runs `fn` as part of `script` again, from the gateway's side (for example releasing its
 * held output): what `fn` schedules counts as the script's work.
 *
 * @example
 * within(script, () => resumeWriter());
 */
export function within<T>(script: TrackedScript, fn: () => T): T {
  return enter(script, fn);
}

/**
 * The script whose code (or callback of it) is running now, if any.
 *
 * @example
 * const script = currentScript();
 */
export function currentScript(): TrackedScript | undefined {
  return current;
}

/**
 * Runs `fn` outside any script's context, so the work it schedules is the gateway's own.
 *
 * @example
 * outside(() => setImmediate(check));
 */
export function outside<T>(fn: () => T): T {
  const previous = current;
  current = undefined;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/**
 * Whether a timer or immediate of a script is over (fired or cleared): the tracker does
 * not keep the destroy hook on for them, so their end is read from the object.
 *
 * @example
 * if (isOver(entry)) script.pending.delete(id);
 */
export function isOver(entry: { type: string; resource: object }): boolean {
  return (
    wrapping === true &&
    entry.type in CALLBACK_KEY &&
    (entry.resource as { _destroyed?: boolean })._destroyed === true
  );
}

function ownerOf(value: unknown): TrackedScript | undefined {
  const script =
    value !== null && typeof value === "object"
      ? (value as Record<symbol, TrackedScript | undefined>)[OWNER]
      : undefined;
  return script ?? current;
}

// Installed once: an error thrown by a script's callback would otherwise end the whole
// server. Errors that belong to no script keep Node's default: print and exit 1, unless
// the server installed handlers of its own.
function listen(): void {
  if (listening) return;
  listening = true;
  process.on("uncaughtException", (error) => {
    const script = current;
    if (script) return script.crash(error);
    if (process.listenerCount("uncaughtException") > 1) return;
    process.stderr.write(`${inspect(error)}\n`);
    process.exit(1);
  });
  process.on("unhandledRejection", (reason, promise) => {
    const script = ownerOf(promise);
    if (script) return script.crash(reason);
    if (process.listenerCount("unhandledRejection") > 1) return;
    process.stderr.write(`${inspect(reason)}\n`);
    process.exit(1);
  });
}
