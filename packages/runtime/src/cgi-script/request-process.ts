import type { Environ } from "../types.js";
import type { CgiIo } from "./cgi-process.js";
import { cgiEnv } from "./env.js";
import { currentScript, type TrackedScript } from "./tracker.js";

/** What helper modules see of one running script's request. */
export interface Scope {
  io: CgiIo;
  environ: Environ;
  /** The script's folder, when the migrated script said. */
  dir: string | undefined;
  /** `process.exitCode` as the request set it, read back by the helper that set it. */
  exitCode: number | undefined;
}

// The scope is a property of the script, not an entry of a WeakMap: V8's young-generation
// collector keeps a WeakMap's values alive, so every request would reach the old one.
interface Scoped extends TrackedScript {
  scope?: Scope;
}

/**
 * Ties a running script to its request, so that code it calls (helper modules) finds the
 * request through {@link requestProcess} and {@link requestConsole}.
 *
 * @example
 * bindScope(run, io, environ);
 */
export function bindScope(script: TrackedScript, io: CgiIo, environ: Environ, dir?: string): void {
  (script as Scoped).scope = { io, environ, dir, exitCode: undefined };
}

function scope(): Scope | undefined {
  const script = currentScript() as Scoped | undefined;
  return script && !script.ended ? script.scope : undefined;
}

const LISTEN = new Set(["on", "once", "addListener", "prependListener"]);

/** What `process.<name>` is for the request running now. */
function requestMember({ io, environ, dir }: Scope, name: string | symbol): unknown {
  switch (name) {
    case "cwd":
      // Under CGI the working directory was the script's folder.
      return dir === undefined ? undefined : () => dir;
    case "env":
      return cgiEnv(environ);
    case "stdout":
    case "stderr":
    case "stdin":
    case "exit":
      return io[name];
    default:
      if (typeof name === "string" && LISTEN.has(name)) return listen(io, name);
      return undefined;
  }
}

// `process.on("exit" | "uncaughtException", fn)` belong to the request, as they belonged to
// its process; other events stay the server's.
function listen(io: CgiIo, method: string) {
  type Listener = (...args: unknown[]) => void;
  return function (event: string | symbol, listener: Listener) {
    if (event === "exit") io.onExit(listener);
    else if (event === "uncaughtException") io.onUncaughtException(listener);
    else
      (process as unknown as Record<string, (e: string | symbol, l: Listener) => void>)[method]!(
        event,
        listener,
      );
    return requestProcess;
  };
}

/**
 * `process` as a migrated helper module sees it: while a migrated script runs (its code,
 * its callbacks, the helpers they call), `env`, `stdin`, `stdout`, `stderr`, `exit`,
 * `exitCode`, `on("exit")` and `cwd()` (when cgiProcess was given `dir`) are that request's, as they were its process's under CGI;
 * everything else, and everything outside a request (code run when the module is loaded),
 * is the server's real `process`.
 *
 * @example
 * const { requestProcess: process } = require("@cgi2wsgi/runtime");
 * function clientIp() {
 *   return process.env.REMOTE_ADDR; // the current request's, not the server's
 * }
 */
export const requestProcess: NodeJS.Process = new Proxy(process, {
  get(target, name) {
    const current = scope();
    if (current) {
      if (name === "exitCode") return current.exitCode;
      const member = requestMember(current, name);
      if (member !== undefined) return member;
    }
    const value: unknown = Reflect.get(target, name, target);
    return typeof value === "function" ? value.bind(target) : value;
  },
  set(target, name, value) {
    const current = scope();
    if (!current || name !== "exitCode") return Reflect.set(target, name, value, target);
    current.exitCode = value as number | undefined;
    current.io.setExitCode(value as number | undefined);
    return true;
  },
});

/**
 * `console` as a migrated helper module sees it: during a request, `log` and the rest
 * write to the request's output (and `error`/`warn` to `wsgi.errors`), as they wrote to the
 * process's stdout under CGI; outside a request, the server's console.
 *
 * @example
 * const { requestConsole: console } = require("@cgi2wsgi/runtime");
 * function header() {
 *   console.log("Content-Type: text/html\n");
 * }
 */
export const requestConsole: Console = new Proxy(console, {
  get(target, name) {
    const current = scope();
    const owner = (current ? current.io.console : target) as unknown as Record<
      string | symbol,
      unknown
    >;
    const value = owner[name];
    return typeof value === "function" ? value.bind(owner) : value;
  },
});
