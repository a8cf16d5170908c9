import { readFile } from "node:fs/promises";
import { startProcess, type ManagedProcess } from "./child.js";
import { freePort, waitForListening } from "./net-wait.js";
import { waitForOwnership } from "./proc-net.js";
import { serverPath } from "./shared-node.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

/** A running front server (nginx, Apache, lighttpd) started by a test. */
export interface FrontServer {
  /** `nginx`, `apache`, `lighttpd`, plus the mode, for test names and messages. */
  readonly name: string;
  /** `http://127.0.0.1:PORT`, with no trailing slash. */
  readonly baseUrl: string;
  readonly port: number;
  /** Process ids of the server and its helpers: each leads its own process group. */
  readonly pids: number[];
  /** The temp dir holding the generated config, pid file and logs. */
  readonly dir: string;
  /** The server's error log and console output, for assertions and failure messages. */
  logs(): Promise<string>;
  /** Stops the server and its helpers (the whole process tree) and removes the temp dir. */
  close(): Promise<void>;
}

/** How to start one front server once its port and temp dir are known. */
export interface LaunchSpec {
  name: string;
  /** Writes the config into `dir` for `port` and says how to run the server. */
  prepare(port: number, dir: string): Promise<{ command: string; args: string[] }>;
  /** Log files inside the temp dir, read when the server fails and by `logs()`. */
  logFiles: string[];
  /** Helpers to start before the server (fcgiwrap), stopped after it. */
  companions?(dir: string): Promise<ManagedProcess[]>;
}

/** Thrown when a front server could not be started; the message carries its log. */
export class FrontServerStartError extends Error {
  readonly code = "ERR_FRONT_SERVER_START";
  constructor(name: string, log: string) {
    super(`${name} failed to start; fix its generated config or the system setup. Log:\n${log}`);
  }
}

const IN_USE = /address already in use|could not bind|EADDRINUSE/i;

async function readLogs(dir: string, files: string[], proc?: ManagedProcess): Promise<string> {
  const parts: string[] = [];
  for (const file of files) {
    const text = await readFile(`${dir}/${file}`, "utf8").catch(() => "");
    if (text) parts.push(`--- ${file}\n${text}`);
  }
  if (proc?.output()) parts.push(`--- console\n${proc.output()}`);
  return parts.join("\n");
}

/**
 * Starts a front server on a free loopback port in a fresh temp dir, retrying with another
 * port when the chosen one was taken in between, and waits until it accepts connections.
 *
 * @example
 * const server = await launchFrontServer({ name: "nginx", logFiles: ["error.log"], prepare });
 * await fetch(server.baseUrl);
 * await server.close();
 */
export async function launchFrontServer(spec: LaunchSpec): Promise<FrontServer> {
  let lastLog = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = await makeTempDir(spec.name.replace(/\W+/g, "-"));
    const companions = spec.companions
      ? await spec.companions(dir).catch(async (err) => {
          await removeTempDir(dir);
          throw err;
        })
      : [];
    const stopAll = async (proc?: ManagedProcess): Promise<void> => {
      await proc?.stop();
      for (const c of companions) await c.stop();
      await removeTempDir(dir);
    };
    const port = await freePort();
    const { command, args } = await spec.prepare(port, dir);
    // What a service manager gives a server: the test runner's variables must not reach scripts.
    const env = { PATH: serverPath(), LANG: "C.UTF-8" };
    const proc = startProcess(command, args, { cwd: dir, env });
    const up = await waitForListening({ host: "127.0.0.1", port }, () => proc.running());
    if (up && proc.running() && (await waitForOwnership(port, proc))) {
      return {
        name: spec.name,
        baseUrl: `http://127.0.0.1:${port}`,
        port,
        pids: [proc.pid, ...companions.map((c) => c.pid)],
        dir,
        logs: () => readLogs(dir, spec.logFiles, proc),
        close: () => stopAll(proc),
      };
    }
    lastLog = await readLogs(dir, spec.logFiles, proc);
    await stopAll(proc);
    if (!IN_USE.test(lastLog)) break;
  }
  throw new FrontServerStartError(spec.name, lastLog || "(empty)");
}
