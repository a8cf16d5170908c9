import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** A server process started in its own process group, so the whole tree can be stopped. */
export interface ManagedProcess {
  readonly pid: number;
  /** Settles once the leader has exited (with its exit code, or the signal name). */
  readonly exited: Promise<number | string>;
  /** Whether the leader is still running. */
  running(): boolean;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM to the leader, SIGKILL to the group after `graceMs`; resolves once all are gone. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Whether a live process (not a zombie) is left in the process group `pgid`. Zombies are
 * left out: orphans are reparented to init, which reaps them in its own time.
 *
 * @example
 * if (groupExists(proc.pid)) console.log("still running");
 */
export function groupExists(pgid: number): boolean {
  if (pgid <= 0) return false;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "latin1");
    } catch {
      continue;
    }
    // Fields after the parenthesised command: state, ppid, pgrp, ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z") return true;
  }
  return false;
}

/**
 * Starts `command` detached in a new process group (so nginx workers, Apache children and the
 * CGI scripts they fork all go down with it) and keeps its output for error messages.
 *
 * @example
 * const proc = startProcess("nginx", ["-p", dir, "-c", "nginx.conf"]);
 * await proc.stop();
 */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdio0?: number } = {},
): ManagedProcess {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.stdio0 ?? "ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout?.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (text += d.toString()));
  let alive = true;
  const exited = new Promise<number | string>((resolve) => {
    child.once("error", (err) => {
      alive = false;
      text += `\n${err.message}`;
      resolve(-1);
    });
    child.once("exit", (code, signal) => {
      alive = false;
      resolve(code ?? signal ?? -1);
    });
  });
  const pid = child.pid ?? -1;
  const killGroup = (signal: NodeJS.Signals): void => {
    if (pid <= 0) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  return {
    pid,
    exited,
    running: () => alive,
    output: () => text,
    async stop(graceMs = 3000) {
      if (alive) {
        // The leader first: nginx, Apache, lighttpd and fcgiwrap stop and reap their own
        // workers, where signalling the whole group would leave orphans for init to reap.
        try {
          process.kill(pid, "SIGTERM");
        } catch {
          // Already gone.
        }
        const timer = setTimeout(() => killGroup("SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Children that outlived the leader (CGI scripts mid-request, fcgiwrap's workers) go
      // too; wait until none is left running.
      killGroup("SIGKILL");
      const deadline = Date.now() + graceMs;
      while (groupExists(pid) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
