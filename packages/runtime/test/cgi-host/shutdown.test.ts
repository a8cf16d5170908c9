import { readFile } from "node:fs/promises";
import { request } from "node:http";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { groupExists, removeTempDir, startProcess, type ManagedProcess } from "../support/index.js";
import { makeHostFixture, type HostFixture } from "./scripts.js";

// Scripts run in their own process groups (so a timeout can kill what they started), which
// also means nothing stops them when the server goes: the host kills them on exit.
let fixture: HostFixture;
let server: ManagedProcess;

beforeAll(async () => {
  fixture = await makeHostFixture();
  const entry = join(import.meta.dirname, "mixed-server-entry.ts");
  server = startProcess(process.execPath, [
    "--conditions=cgi2wsgi-source",
    "--import",
    "tsx",
    entry,
    fixture.dir,
    fixture.pids,
  ]);
});
afterAll(async () => {
  await server?.stop();
  if (fixture) await removeTempDir(dirname(fixture.dir));
});

it("takes running scripts down when the server process exits", async () => {
  let port = 0;
  for (let i = 0; i < 200 && !port; i++) {
    await new Promise((done) => setTimeout(done, 50));
    port = Number(/listening (\d+)/.exec(server.output())?.[1] ?? 0);
  }
  expect(port, server.output()).toBeGreaterThan(0);
  await new Promise<void>((done, fail) => {
    const req = request(`http://127.0.0.1:${port}/wait.sh`, (res) => {
      res.once("data", () => done());
      res.on("error", () => {});
    });
    req.on("error", () => {});
    setTimeout(() => fail(new Error("no output from wait.sh")), 5000);
    req.end();
  });
  // The script's process group: the host's shell, the script and what it started.
  const group = Number(await readFile(`${fixture.pids}/wait.pgid`, "utf8"));
  expect(groupExists(group)).toBe(true);
  process.kill(server.pid, "SIGTERM");
  await server.exited;
  for (let i = 0; i < 100 && groupExists(group); i++) {
    await new Promise((done) => setTimeout(done, 20));
  }
  expect(groupExists(group)).toBe(false);
});
