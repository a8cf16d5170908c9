import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { join } from "node:path";
import { freePort } from "../support/net-wait.js";

const entry = join(import.meta.dirname, "fixtures", "serve-entry.ts");

/** A served fixture running as its own process. */
export interface ServedProcess {
  readonly child: ChildProcess;
  readonly port: number;
  /** Everything it wrote to stderr so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `fixtures/serve-entry.ts` with `env` and waits until it answers. */
export async function startServed(env: Record<string, string>): Promise<ServedProcess> {
  const port = await freePort();
  let stderr = "";
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", entry], {
    env: { ...process.env, TEST_LISTEN: `127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "inherit", "pipe"],
  });
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const served: ServedProcess = {
    child,
    port,
    log: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await once(child, "exit");
    },
  };
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    if ((await get(port, "/").catch(() => undefined))?.status === 200) return served;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await served.stop();
  throw new Error(`the server did not come up: ${stderr}`);
}

/** A GET on a fresh connection (no keep-alive), resolving with status and body. */
export function get(
  port: number,
  path: string,
  timeoutMs = 5000,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, agent: false, headers: { Connection: "close" } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer for ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

/** The pid in an answer of the fixture. */
export function pidOf(body: string): number {
  return Number(/pid=(\d+)/.exec(body)?.[1]);
}
