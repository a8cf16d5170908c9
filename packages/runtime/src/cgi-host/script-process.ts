import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { WsgiErrors, WsgiInput } from "../types.js";

/** How one script run is started and bounded. */
export interface ScriptRun {
  command: readonly string[];
  file: string;
  env: Record<string, string>;
  input: WsgiInput;
  errors: WsgiErrors;
  /** Milliseconds before the script (and its process group) is killed; 0 for no limit. */
  timeout: number;
}

/** How the process ended. */
export interface ScriptExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the host killed it (timeout, client gone), not the script itself. */
  killedByHost: boolean;
  timedOut: boolean;
  /** The spawn failure (ENOENT, EACCES, a bad shebang), if it never ran. */
  spawnError?: Error;
}

const READ_BLOCK = 64 * 1024;

/**
 * One running CGI script: spawned in its own process group in its own directory, fed the
 * request body on stdin, its stderr copied to `wsgi.errors`, killed (the whole group) at
 * the timeout or on {@link kill}, and always reaped: {@link exited} settles once the
 * process is gone.
 *
 * @example
 * const proc = new ScriptProcess({ command: [file], file, env, input, errors, timeout: 30000 });
 * for await (const chunk of proc.stdout) send(chunk);
 * const { code } = await proc.exited;
 */
export class ScriptProcess {
  /** The script's stdout, read with backpressure. */
  readonly stdout: AsyncIterator<Buffer>;
  /** Settles (never rejects) once the process has exited or failed to start. */
  readonly exited: Promise<ScriptExit>;
  private readonly child: ChildProcess;
  private readonly timer: NodeJS.Timeout | undefined;
  private killedByHost = false;
  private timedOut = false;
  private done = false;

  constructor(run: ScriptRun) {
    const [command, ...args] = run.command;
    // detached: a new process group, so a kill reaches what the script started (sleep,
    // pipelines) and nothing it left behind keeps the response open.
    this.child = spawn(command!, args, {
      cwd: dirname(run.file),
      env: run.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    this.stdout = this.child.stdout![Symbol.asyncIterator]();
    this.exited = new Promise<ScriptExit>((resolve) => {
      const settle = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
        if (this.done) return;
        this.done = true;
        clearTimeout(this.timer);
        resolve({
          code,
          signal,
          killedByHost: this.killedByHost,
          timedOut: this.timedOut,
          spawnError,
        });
      };
      this.child.once("exit", (code, signal) => settle(code, signal));
      this.child.once("error", (error) => {
        // An error after the process ran (kill() failing) is not a spawn failure.
        if (this.child.pid === undefined) settle(null, null, error);
      });
    });
    // No limit when the timeout is 0 or Infinity (setTimeout would fire at once for both).
    this.timer =
      run.timeout > 0 && Number.isFinite(run.timeout)
        ? setTimeout(() => {
            this.timedOut = true;
            this.kill();
          }, run.timeout)
        : undefined;
    copyStderr(this.child, run.errors);
    void feedStdin(this.child, run.input);
  }

  /** Whether the process is gone. */
  get finished(): boolean {
    return this.done;
  }

  /** Kills the script's whole process group; harmless once it is gone. */
  kill(): void {
    if (this.done) return;
    this.killedByHost = true;
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // The group is already gone (ESRCH); the exit event follows.
    }
  }
}

function copyStderr(child: ChildProcess, errors: WsgiErrors): void {
  const decoder = new StringDecoder("utf8");
  child.stderr!.on("data", (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) errors.write(text);
  });
  child.stderr!.on("end", () => {
    const text = decoder.end();
    if (text) errors.write(text);
  });
}

/** Streams the body to stdin with backpressure; a script that stops reading is not an error. */
async function feedStdin(child: ChildProcess, input: WsgiInput): Promise<void> {
  const stdin = child.stdin!;
  let closed = false;
  const gone = new Promise<void>((resolve) => {
    stdin.once("close", () => {
      closed = true;
      resolve();
    });
  });
  // EPIPE: the script exited or closed stdin without reading everything, as scripts may.
  stdin.on("error", () => {});
  for (
    let chunk = input.read(READ_BLOCK);
    chunk.length > 0 && !closed;
    chunk = input.read(READ_BLOCK)
  ) {
    if (!stdin.write(chunk)) {
      await Promise.race([new Promise((resolve) => stdin.once("drain", resolve)), gone]);
    }
  }
  if (!closed) stdin.end();
}
