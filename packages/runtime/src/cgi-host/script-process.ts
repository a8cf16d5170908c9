import { spawn, type ChildProcess } from "node:child_process";
import { dirname } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { WsgiErrors, WsgiInput } from "../types.js";
import { bodyFile } from "./stdin-file.js";

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

// Scripts run in their own process groups, so nothing would stop them if this process
// exits first (a drained shutdown, an uncaught error): kill them on the way out.
const live = new Set<ScriptProcess>();
let exitHookInstalled = false;
function track(proc: ScriptProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const running of live) running.kill();
    });
  }
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
}

// The body reaches the script through a real pipe, as CGI servers give it: a file on fd 0
// never emits 'close' in Node (a script waiting for it never answers), and Node's own
// "pipe" is a socket pair, on which /dev/stdin cannot be opened. Only a shell makes a pipe
// between two programs: cat copies the body file (fd 3) into it, or ":" gives an empty one.
// The pipeline runs in the background so that the shell can close its own stdout and
// stderr: the response ends when the script closes its output, not when the shell exits.
// dash adds PWD to the environment, which env -u takes out again unless the script is meant
// to have one; a script killed by a signal kills the shell with the same one, so the host
// sees how it ended. Costs about 1.5 ms a request, small beside a Node script's start-up.
const RELAY_STATUS = ` &
exec 1>&- 2>&- 3<&-
wait $!
s=$?
if [ "$s" -gt 128 ]; then trap - $((s - 128)); kill -$((s - 128)) $$; fi
exit "$s"`;
const PIPE_BODY = `cat <&3 | "$@" 3<&-${RELAY_STATUS}`;
const PIPE_NOTHING = `: | "$@"${RELAY_STATUS}`;

function throughPipe(run: ScriptRun, body: boolean): string[] {
  const command = "PWD" in run.env ? run.command : ["env", "-u", "PWD", ...run.command];
  return ["/bin/sh", "-c", body ? PIPE_BODY : PIPE_NOTHING, "sh", ...command];
}

/**
 * One running CGI script: spawned in its own process group in its own directory, with the
 * request body on stdin (a pipe fed from a file, see {@link bodyFile}; an empty pipe without
 * a body), its stderr copied to `wsgi.errors`, killed (the whole group) at the timeout or on
 * {@link kill}, and always reaped: {@link exited} settles once the process is gone.
 *
 * @example
 * const proc = await ScriptProcess.start({ command: [file], file, env, input, errors, timeout: 30000 });
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

  /** Prepares the body and spawns the script. */
  static async start(run: ScriptRun): Promise<ScriptProcess> {
    if (run.input.length === 0) return new ScriptProcess(run, "ignore");
    const stdin = await bodyFile(run.input);
    let proc: ScriptProcess;
    try {
      proc = new ScriptProcess(run, stdin.fd);
    } catch (error) {
      await stdin.close();
      throw error;
    }
    // Closed only once the script is gone: closing it right after spawn() lost the script's
    // stdout now and then under vitest (seen, not explained), and it costs one descriptor.
    void proc.exited.then(() => stdin.close());
    return proc;
  }

  private constructor(run: ScriptRun, body: number | "ignore") {
    const [command, ...args] = throughPipe(run, body !== "ignore");
    // detached: a new process group, so a kill reaches what the script started (sleep,
    // pipelines) and nothing it left behind keeps the response open.
    this.child = spawn(command!, args, {
      cwd: dirname(run.file),
      env: run.env,
      stdio: body === "ignore" ? ["ignore", "pipe", "pipe"] : ["ignore", "pipe", "pipe", body],
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
    track(this);
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
