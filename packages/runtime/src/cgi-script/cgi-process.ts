import { Console } from "node:console";
import type { Readable, Writable } from "node:stream";
import type { Body, Environ, StartResponse } from "../types.js";
import { ScriptExit, ScriptRun } from "./script-run.js";
import { bindScope } from "./request-process.js";
import { errorStream, inputStream, outputStream } from "./streams.js";
import { scriptConsole } from "./script-console.js";
import { track } from "./tracker.js";

/**
 * What a migrated script body receives in place of the process-wide objects it used under
 * CGI. Everything is per request.
 */
export interface CgiIo {
  /** The response, written as CGI output: a header block, a blank line, the body. */
  stdout: Writable;
  /** `wsgi.errors`. */
  stderr: Writable;
  /** The request body (`wsgi.input`) as a stream. */
  stdin: Readable;
  /** `log`/`info`/`debug`/`dir`/`table` to stdout, `error`/`warn`/`trace` to `wsgi.errors`. */
  console: Console;
  /** Ends this request as `process.exit()` ended the process: no later code of it runs. */
  exit(code?: number | string | null): never;
  /** `process.exitCode = code`: a failing exit with no output answers 500. */
  setExitCode(code: number | string | undefined): void;
  /** `process.on("exit", listener)`: runs when this request's script is done. */
  onExit(listener: (code: number) => void): void;
  /** `process.on("uncaughtException", listener)`: takes this request's uncaught errors. */
  onUncaughtException(listener: (error: unknown) => void): void;
}

/** How {@link cgiProcess} reads the script's output. */
export interface CgiProcessOptions {
  /** The script is an `nph-` script: its output starts with an HTTP status line. */
  nph?: boolean;
  /**
   * Milliseconds the script may run, as a CGI server's script timeout (default 60 000, as
   * Apache's `Timeout` and nginx's `fastcgi_read_timeout`); 0 for none.
   */
  timeoutMs?: number;
  /**
   * The script's folder, its working directory under CGI: what `process.cwd()` gives the
   * helper modules it calls (through {@link requestProcess}), so their relative paths resolve
   * as they did.
   */
  dir?: string;
}

/** The body of a migrated script. */
export type CgiProcessBody = (io: CgiIo) => unknown;

/**
 * Runs the body of a migrated CGI script for one request, exactly as a CGI server ran the
 * process: the output is parsed as CGI output (`Status:` wins, `Location:` alone is 302,
 * a missing blank line is 502), the response streams once the header block is complete,
 * and it ends when `exit()` is called or the script has no timers, I/O or callbacks left.
 * An uncaught error answers 500 (or ends the body if headers were already sent) with the
 * error on `wsgi.errors`.
 *
 * @example
 * export function application(environ, start_response) {
 *   return cgiProcess(environ, start_response, ({ stdout }) => {
 *     stdout.write("Content-Type: text/plain\n\n");
 *     setTimeout(() => stdout.write(`hello ${environ.QUERY_STRING}\n`), 10);
 *   });
 * }
 */
export function cgiProcess(
  environ: Environ,
  start_response: StartResponse,
  script: CgiProcessBody,
): Promise<Body>;
export function cgiProcess(
  environ: Environ,
  start_response: StartResponse,
  options: CgiProcessOptions,
  script: CgiProcessBody,
): Promise<Body>;
export function cgiProcess(
  environ: Environ,
  start_response: StartResponse,
  optionsOrScript: CgiProcessOptions | CgiProcessBody,
  maybeScript?: CgiProcessBody,
): Promise<Body> {
  const script = typeof optionsOrScript === "function" ? optionsOrScript : maybeScript!;
  const options = typeof optionsOrScript === "function" ? {} : optionsOrScript;
  const run = new ScriptRun(environ, start_response, options.nph ?? false);
  const io = new ScriptIo(run, environ);
  bindScope(run, io, environ, options.dir);
  run.limit(options.timeoutMs ?? 60_000);
  const async = track(run, () => {
    try {
      const result = script(io);
      if (isThenable(result)) {
        result.then(
          () => run.started_(),
          (error: unknown) => {
            run.crash(error);
            run.started_();
          },
        );
        return true;
      }
    } catch (error) {
      run.crash(error);
    }
    return false;
  });
  if (!async) run.started_();
  return run.response;
}

// Every object is made when the script first asks for it: most use a few of them. The
// members are the prototype's getters, not an object literal's: V8 keeps a literal's
// accessors in its hidden class, which lives in the old generation, so every request's
// objects would outlive the young-generation collections.
class ScriptIo implements CgiIo {
  private out: Writable | undefined;
  private err: Writable | undefined;
  private input: Readable | undefined;
  private con: Console | undefined;
  private exitFn: CgiIo["exit"] | undefined;

  constructor(
    private readonly run: ScriptRun,
    private readonly environ: Environ,
  ) {}

  get stdout(): Writable {
    const run = this.run;
    return (this.out ??= outputStream((bytes, done) => run.output(bytes, done)));
  }

  get stderr(): Writable {
    return (this.err ??= errorStream(this.environ["wsgi.errors"]));
  }

  get stdin(): Readable {
    return (this.input ??= inputStream(this.environ["wsgi.input"]));
  }

  get console(): Console {
    return (this.con ??= scriptConsole(
      (text) => this.log(text),
      (text) => this.warn(text),
      () => new Console({ stdout: this.stdout, stderr: this.stderr }),
    ));
  }

  // A line goes straight to the response unless writes wait before it: then it queues
  // behind them in stdout, in order, as on the process's pipe.
  private log(text: string): void {
    const run = this.run;
    if (run.accepting && (!this.out || this.out.writableLength === 0)) run.output(text);
    else this.stdout.write(text);
  }

  private warn(text: string): void {
    if (!this.err || this.err.writableLength === 0) this.environ["wsgi.errors"].write(text);
    else this.err.write(text);
  }

  // The methods work unbound too (`const { exit } = io`), as `process.exit` does.
  get exit(): CgiIo["exit"] {
    const run = this.run;
    return (this.exitFn ??= (code) => {
      if (code !== undefined && code !== null) run.exitCode = Number(code) | 0;
      const status = run.exitCode ?? 0;
      run.finish(status);
      throw new ScriptExit(status);
    });
  }

  get setExitCode(): CgiIo["setExitCode"] {
    const run = this.run;
    return (code) => {
      run.exitCode = code === undefined ? undefined : Number(code) | 0;
    };
  }

  get onExit(): CgiIo["onExit"] {
    const run = this.run;
    return (listener) => void run.exitListeners.push(listener);
  }

  get onUncaughtException(): CgiIo["onUncaughtException"] {
    const run = this.run;
    return (listener) => void run.errorListeners.push(listener);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}
