import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type FrontServer, type ManagedProcess } from "../support/index.js";
import { startNginxSnippet } from "./frames.js";
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

const HOSTS = ["10.0.0.11:8000", "10.0.0.12:8000"];

describe("docs/deploy.md: scaling out, two hosts behind one nginx upstream", () => {
  const instances: ManagedProcess[] = [];
  const started: Array<() => Promise<ManagedProcess>> = [];
  const dirs: string[] = [];
  let front: FrontServer | undefined;
  const get = async (path: string) => {
    const res = await fetch(`${front!.baseUrl}/app${path}`, {
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, pid: Number(await res.text()) };
  };

  beforeAll(async () => {
    const appDir = await makeAppDir(APP);
    dirs.push(appDir);
    const values: Record<string, string> = {};
    for (const host of HOSTS) {
      const port = await freePort();
      values[host] = `127.0.0.1:${port}`;
      const command = snippet("scale-serve", { "/srv/app": appDir, [HOSTS[0]!]: values[host]! });
      started.push(() => startDocumentedServer(command, { host: "127.0.0.1", port }));
      instances.push(await started.at(-1)!());
    }
    front = await startNginxSnippet(snippet("scale-nginx", values));
  });
  afterAll(() => stopAll([front, ...instances], dirs));

  it("spreads requests over both hosts", async () => {
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await get("/who"));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.pid))).toEqual(new Set(instances.map((p) => p.pid)));
  });

  it("loses no request when one host is stopped with SIGTERM, and keeps answering", async () => {
    const [stopped, kept] = instances as [ManagedProcess, ManagedProcess];
    const slow = Array.from({ length: 6 }, () => get("/slow"));
    await new Promise((resolve) => setTimeout(resolve, 500));
    process.kill(stopped.pid, "SIGTERM");
    const during = [];
    for (let i = 0; i < 6; i++) during.push(await get("/who"));
    const finished = await Promise.all(slow);
    expect(await stopped.exited).toBe(0);
    const after = [];
    for (let i = 0; i < 6; i++) after.push(await get("/who"));

    expect(finished.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(finished.some((a) => a.pid === stopped.pid)).toBe(true);
    expect([...during, ...after].map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(after.every((a) => a.pid === kept.pid)).toBe(true);
  });

  it("takes the restarted host back (rolling restart, step 3)", async () => {
    const restarted = await started[0]!();
    instances.push(restarted);
    // nginx may hold the host out for fail_timeout (10 s) after the refused connections.
    const deadline = Date.now() + 15_000;
    const answers: number[] = [];
    while (!answers.includes(restarted.pid) && Date.now() < deadline) {
      const answer = await get("/who");
      expect(answer.status).toBe(200);
      answers.push(answer.pid);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answers).toContain(restarted.pid);
  }, 20_000);
});
