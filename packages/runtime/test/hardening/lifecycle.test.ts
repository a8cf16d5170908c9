import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { get, pidOf, startServed, type ServedProcess } from "./process.js";
import { until as untilIn } from "./serve.js";

/** Up to 15 s: workers boot slowly on a loaded machine. */
const until = (test: () => boolean | Promise<boolean>) =>
  untilIn(test, 15_000, () => served?.log() ?? "");

let served: ServedProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await served?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  served = dir = undefined;
});

/** Pids seen answering `n` requests. */
async function pidsOf(port: number, n: number): Promise<Set<number>> {
  const answers = await Promise.all(Array.from({ length: n }, () => get(port, "/slow")));
  return new Set(answers.map((a) => pidOf(a.body)));
}

describe("serve() lifecycle", () => {
  it("keeps a single process serving when application code throws from a timer", async () => {
    served = await startServed({});
    const { port } = served;
    expect((await get(port, "/throw-later")).status).toBe(200);
    await until(() => /unhandled rejection/.test(served!.log()));
    await until(() => /uncaught exception.*thrown from a timer/s.test(served!.log()));
    expect((await get(port, "/")).status).toBe(200);
    expect(served.child.exitCode).toBe(null);
  });

  it("kills a worker stuck in a synchronous loop and replaces it; the other keeps serving", async () => {
    served = await startServed({ TEST_WORKERS: "2", TEST_WATCHDOG: "1000" });
    const { port } = served;
    let before = new Set<number>();
    await until(async () => (before = new Set([...before, ...(await pidsOf(port, 8))])).size === 2);
    const stuck = get(port, "/spin", 10_000).catch((error: Error) => error);
    // Once it spins. (A connection its worker accepted in the same turn as the spinning
    // request is lost with it, as under gunicorn: that is the "where possible".)
    await new Promise((resolve) => setTimeout(resolve, 300));
    // While one worker spins, the other answers: 20 requests in a row, none failed.
    const during: number[] = [];
    for (let i = 0; i < 20; i++) during.push((await get(port, "/")).status);
    expect(during.every((status) => status === 200)).toBe(true);
    await until(() => /did not answer for \d+ ms/.test(served!.log()));
    // The worker's watchdog thread answered the stuck request before the worker died.
    expect(await stuck).toMatchObject({ status: 504, body: "Gateway Timeout\n" });
    let after = new Set<number>();
    await until(async () => (after = new Set([...after, ...(await pidsOf(port, 8))])).size === 2);
    expect([...after].filter((pid) => !before.has(pid))).toHaveLength(1);
  });

  it("reloads on SIGHUP under load with no failed request: new workers load the app afresh", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-reload-"));
    const versionFile = join(dir, "version.txt");
    writeFileSync(versionFile, "v1");
    served = await startServed({ TEST_WORKERS: "2", TEST_VERSION_FILE: versionFile });
    const { port } = served;
    const statuses: Array<number | string> = [];
    const versions = new Set<string>();
    let loading = true;
    // Four clients in a loop, each request on a fresh connection.
    const load = Promise.all(
      Array.from({ length: 4 }, async () => {
        while (loading) {
          const answer = await get(port, "/slow").catch((error: Error) => error.message);
          if (typeof answer === "string") statuses.push(answer);
          else {
            statuses.push(answer.status);
            versions.add(/version=(\w+)/.exec(answer.body)?.[1] ?? "");
          }
        }
      }),
    );
    await until(() => statuses.length > 20);
    writeFileSync(versionFile, "v2");
    served.child.kill("SIGHUP");
    await until(async () => (await pidsOf(port, 6)).size > 0 && versions.has("v2"));
    // Until every old worker is gone, answers still mix.
    await until(async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => get(port, "/")));
      return answers.every((a) => a.body.endsWith("version=v2"));
    });
    served.child.kill("SIGHUP");
    await until(() => (served!.log().match(/reloading/g) ?? []).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    loading = false;
    await load;
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(50);
  });

  it("--reload: a change to a served file restarts the worker with the new code", async () => {
    dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-reload-"));
    const versionFile = join(dir, "version.txt");
    writeFileSync(versionFile, "v1");
    served = await startServed({ TEST_RELOAD: dir, TEST_VERSION_FILE: versionFile });
    const { port } = served;
    expect((await get(port, "/")).body).toContain("version=v1");
    writeFileSync(versionFile, "v2");
    await until(async () => (await get(port, "/")).body.endsWith("version=v2"));
    expect(served.log()).toMatch(/version\.txt changed; reloading/);
  });

  it("--max-requests with jitter: each worker retires after its quota plus up to the jitter", async () => {
    served = await startServed({ TEST_WORKERS: "2", TEST_MAX_REQUESTS: "5", TEST_JITTER: "5" });
    const quotas = (): number[] =>
      [
        ...served!.log().matchAll(/served its (\d+) requests \(max-requests 5 \+ jitter (\d+)\)/g),
      ].map((m) => Number(m[1]));
    while (quotas().length < 4) await get(served.port, "/");
    for (const quota of quotas()) expect(quota).toBeGreaterThanOrEqual(5);
    for (const quota of quotas()) expect(quota).toBeLessThanOrEqual(10);
    // Workers started together do not all restart together.
    expect(new Set(quotas()).size).toBeGreaterThan(1);
  });
});
