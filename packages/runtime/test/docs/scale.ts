import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrontServer, ManagedProcess } from "../support/index.js";
import { freePort } from "../support/index.js";
import { makeAppDir, startDocumentedServer, stopAll } from "./runtime.js";
import { snippet } from "./snippets.js";

// Says which instance answered; /slow stays in flight long enough to stop its instance meanwhile.
const APP = `export const application = (environ: any, start_response: any) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  if (environ.PATH_INFO !== "/slow") return [String(process.pid)];
  return (async function* () {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    yield String(process.pid);
  })();
};
`;

/** The two application hosts the scale-out section of docs/deploy.md names. */
const HOSTS = ["10.0.0.11:8000", "10.0.0.12:8000"];

/**
 * The scale-out section's stack: two `scale-serve` instances on loopback ports standing in
 * for the documented hosts, and a front server started from a snippet with those addresses.
 *
 * @example
 * const pool = new ScalePool();
 * await pool.start((hosts) => startNginxSnippet(snippet("scale-nginx", hosts)));
 * const { status, pid } = await pool.get("/who");
 */
export class ScalePool {
  /** Running instances; a restarted one is added at the end. */
  readonly instances: ManagedProcess[] = [];
  private readonly starters: Array<() => Promise<ManagedProcess>> = [];
  private readonly dirs: string[] = [];
  private front: FrontServer | undefined;

  /** Starts both instances, then the front server with the documented hosts replaced. */
  async start(front: (hosts: Record<string, string>) => Promise<FrontServer>): Promise<void> {
    const appDir = await makeAppDir(APP);
    this.dirs.push(appDir);
    const hosts: Record<string, string> = {};
    for (const host of HOSTS) {
      const port = await freePort();
      hosts[host] = `127.0.0.1:${port}`;
      const command = snippet("scale-serve", { "/srv/app": appDir, [HOSTS[0]!]: hosts[host]! });
      this.starters.push(() => startDocumentedServer(command, { host: "127.0.0.1", port }));
      this.instances.push(await this.starters.at(-1)!());
    }
    this.front = await front(hosts);
  }

  /** Starts instance `index` again (after it was stopped) and returns it. */
  async restart(index: number): Promise<ManagedProcess> {
    const restarted = await this.starters[index]!();
    this.instances.push(restarted);
    return restarted;
  }

  /** GET /app<path> through the front server: the status and the pid that answered. */
  async get(path: string): Promise<{ status: number; pid: number }> {
    const res = await fetch(`${this.front!.baseUrl}/app${path}`, {
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, pid: Number(await res.text()) };
  }

  stop(): Promise<void> {
    return stopAll([this.front, ...this.instances], this.dirs);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scale-out promises of docs/deploy.md, for one front server: requests spread over both
 * hosts, none is lost when one host is stopped with SIGTERM, and a restarted host is taken
 * back. `detectMs` is how long the front server may take to notice a stopped host.
 *
 * @example
 * describeScaleOut("nginx", (hosts) => startNginxSnippet(snippet("scale-nginx", hosts)), 0);
 */
export function describeScaleOut(
  title: string,
  front: (hosts: Record<string, string>) => Promise<FrontServer>,
  detectMs: number,
): void {
  describe(`docs/deploy.md: scaling out, two hosts behind ${title}`, () => {
    const pool = new ScalePool();
    beforeAll(() => pool.start(front));
    afterAll(() => pool.stop());

    it("spreads requests over both hosts", async () => {
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push(await pool.get("/who"));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      const pids = new Set(pool.instances.map((p) => p.pid));
      expect(new Set(answers.map((a) => a.pid))).toEqual(pids);
    });

    it("loses no request when one host is stopped with SIGTERM, and keeps answering", async () => {
      const [stopped, kept] = pool.instances as [ManagedProcess, ManagedProcess];
      const slow = Array.from({ length: 6 }, () => pool.get("/slow"));
      await sleep(500);
      process.kill(stopped.pid, "SIGTERM");
      const during = [];
      for (let i = 0; i < 6; i++) during.push(await pool.get("/who"));
      const finished = await Promise.all(slow);
      expect(await stopped.exited).toBe(0);
      await sleep(detectMs);
      const after = [];
      for (let i = 0; i < 6; i++) after.push(await pool.get("/who"));

      expect(finished.map((a) => a.status)).toEqual(Array(6).fill(200));
      expect(finished.some((a) => a.pid === stopped.pid)).toBe(true);
      expect([...during, ...after].map((a) => a.status)).toEqual(Array(12).fill(200));
      expect(after.every((a) => a.pid === kept.pid)).toBe(true);
    }, 20_000);

    it("takes the restarted host back (rolling restart, step 3)", async () => {
      const restarted = await pool.restart(0);
      // nginx may hold the host out for fail_timeout (10 s) after the refused connections;
      // HAProxy waits for two good checks.
      const deadline = Date.now() + 15_000;
      const answers: number[] = [];
      while (!answers.includes(restarted.pid) && Date.now() < deadline) {
        const answer = await pool.get("/who");
        expect(answer.status).toBe(200);
        answers.push(answer.pid);
        await sleep(100);
      }
      expect(answers).toContain(restarted.pid);
    }, 20_000);
  });
}
