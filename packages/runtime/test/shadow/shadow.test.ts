import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { legacyScript } from "../../src/cgi-host/host.js";
import { createHttpServer } from "../../src/http/server.js";
import { createShadow, type ShadowOptions } from "../../src/shadow/shadow.js";
import type { Application } from "../../src/types.js";
import { makeScriptDir, removeTempDir } from "../support/index.js";

// The legacy script, run as a real CGI process; the migrated module differs on ?lang=fr.
const GREET = `#!${process.execPath}
const q = new URLSearchParams(process.env.QUERY_STRING);
let text = (q.get("lang") === "fr" ? "bonjour" : "hello") + " " + (q.get("name") || "world");
if (process.env.REQUEST_METHOD !== "GET") text += " " + require("fs").readFileSync(0, "utf8");
if (q.get("lang") === "fr") console.error("greet: the French branch");
process.stdout.write("Content-Type: text/plain\\nX-Side: legacy\\n\\n" + text + "\\n");
`;

let dir: string;
let legacy: Application;
let gate: Promise<void> = Promise.resolve();
let migratedCalls: Array<{ method: string; body: string }> = [];
let lateCloses = 0;
const migrated: Application = async (environ, start_response) => {
  const body = environ["wsgi.input"].read().toString();
  migratedCalls.push({ method: environ.REQUEST_METHOD, body });
  await gate;
  const q = new URLSearchParams(environ.QUERY_STRING);
  if (q.has("hang")) return new Promise<never>(() => {});
  if (q.has("late")) {
    // Answers only after the shadow's deadline: the body still gets its close().
    await new Promise((resolve) => setTimeout(resolve, 600));
    start_response("200 OK", [["Content-Type", "text/plain"]]);
    return Object.assign(["late\n"], { close: () => void lateCloses++ });
  }
  let text = (q.get("lang") === "fr" ? "bonjour!" : "hello") + " " + (q.get("name") || "world");
  if (environ.REQUEST_METHOD !== "GET") text += " " + body;
  start_response("200 OK", [
    ["Content-Type", "text/plain"],
    ["X-Side", "legacy"],
  ]);
  return [text + "\n"];
};

let server: Server | undefined;
let lines: string[] = [];

async function serveShadowed(
  options: Omit<ShadowOptions, "log"> = {},
  serving: { legacy?: Application; timeout?: number } = {},
) {
  const shadow = createShadow({ ...options, log: (line) => void lines.push(line) });
  // The served legacy script's stderr goes to the server log, kept out of the test output.
  server = createHttpServer(shadow.pair(serving.legacy ?? legacy, migrated), {
    log: () => {},
    timeout: serving.timeout,
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { shadow, base };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

// A legacy script that never answers (until the host kills it at its own timeout).
const HANG = `#!${process.execPath}
setInterval(() => {}, 1000);
`;

beforeAll(async () => {
  dir = await makeScriptDir({ "greet.cjs": GREET, "hang.cjs": HANG });
  legacy = legacyScript(`${dir}/greet.cjs`);
});
afterAll(() => removeTempDir(dir));
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  lines = [];
  migratedCalls = [];
  lateCloses = 0;
  gate = Promise.resolve();
});

describe("createShadow", () => {
  it("clients get the legacy answer; the migrated one is compared after, differences logged", async () => {
    const { shadow, base } = await serveShadowed();
    const same = await fetch(`${base}/?name=Ada`);
    expect(await same.text()).toBe("hello Ada\n");
    const differs = await fetch(`${base}/?lang=fr&name=Ada`);
    expect(await differs.text()).toBe("bonjour Ada\n");
    await until(() => shadow.counters().agreements + shadow.counters().differences === 2);
    expect(shadow.counters()).toMatchObject({ agreements: 1, differences: 1, skipped: 0 });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({
      shadow: "difference",
      request: { method: "GET", path: "/", query: "lang=fr&name=Ada" },
      served: "legacy",
      firstDifferingByte: 7,
      differences: [{ what: "body", at: 7 }],
    });
  });

  it("the client's answer is complete before the comparison has even finished", async () => {
    const { shadow, base } = await serveShadowed();
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    const res = await fetch(`${base}/?lang=fr`);
    expect(await res.text()).toBe("bonjour world\n");
    // The migrated side is still held at the gate: nothing compared, the client long done.
    await until(() => migratedCalls.length === 1);
    expect(shadow.counters().differences).toBe(0);
    open();
    await until(() => shadow.counters().differences === 1);
  });

  it("unsafe methods run once unless allowed; the body reaches both sides when they are", async () => {
    const once = await serveShadowed();
    const posted = await fetch(`${once.base}/`, { method: "POST", body: "x=1" });
    expect(await posted.text()).toBe("hello world x=1\n");
    expect(migratedCalls).toEqual([]);
    expect(once.shadow.counters()).toMatchObject({ skipped: 1, reasons: { unsafe: 1 } });
    await new Promise((resolve) => server!.close(resolve));
    const twice = await serveShadowed({ unsafe: true });
    await (await fetch(`${twice.base}/`, { method: "PUT", body: "y=2" })).text();
    await until(() => twice.shadow.counters().agreements === 1);
    expect(migratedCalls).toEqual([{ method: "PUT", body: "y=2" }]);
  });

  it("with every comparison slot busy, a request is answered and not compared", async () => {
    const { shadow, base } = await serveShadowed({ maxConcurrent: 1 });
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    expect(await (await fetch(`${base}/?n=1`)).text()).toBe("hello world\n");
    await until(() => migratedCalls.length === 1);
    expect(await (await fetch(`${base}/?n=2`)).text()).toBe("hello world\n");
    expect(shadow.counters()).toMatchObject({ skipped: 1, reasons: { busy: 1 } });
    open();
    await until(() => shadow.counters().agreements === 1);
    expect(shadow.summary()).toBe("1 agreed, 0 differed, 1 skipped (1 busy), 0 not sampled");
  });

  it("samples by rate, and serves the migrated answer with --shadow-serve migrated", async () => {
    const draws = [0.9, 0.1];
    const { shadow, base } = await serveShadowed({
      rate: 0.5,
      serve: "migrated",
      random: () => draws.shift()!,
    });
    expect(await (await fetch(`${base}/?lang=fr`)).text()).toBe("bonjour! world\n");
    expect(await (await fetch(`${base}/?lang=fr`)).text()).toBe("bonjour! world\n");
    await until(() => shadow.counters().differences === 1);
    expect(shadow.counters().unsampled).toBe(1);
    // The legacy script ran after the response: its stderr is kept with the difference.
    expect(JSON.parse(lines[0]!)).toMatchObject({
      served: "migrated",
      shadowErrors: "greet: the French branch\n",
    });
  });

  it("gives up a migrated side that hangs at the timeout: counted, logged, its slot freed", async () => {
    const { shadow, base } = await serveShadowed({ maxConcurrent: 1, timeout: 300 });
    expect(await (await fetch(`${base}/?hang`)).text()).toBe("hello world\n");
    await until(() => shadow.counters().timedOut === 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      shadow: "timeout",
      request: { method: "GET", path: "/", query: "hang" },
      served: "legacy",
      side: "migrated",
      timeoutMs: 300,
    });
    // The slot is free again: the next request is compared.
    await (await fetch(`${base}/?name=Ada`)).text();
    await until(() => shadow.counters().agreements === 1);
    // A body that comes after the deadline is not compared, and is closed.
    await (await fetch(`${base}/?late`)).text();
    await until(() => shadow.counters().timedOut === 2);
    await until(() => lateCloses === 1);
    expect(shadow.counters()).toMatchObject({ agreements: 1, differences: 0, skipped: 0 });
    expect(shadow.summary()).toBe("1 agreed, 0 differed, 2 timed out, 0 skipped, 0 not sampled");
  });

  it("serving the migrated side, frees the slot of a hung one at the server's timeout", async () => {
    const { shadow, base } = await serveShadowed(
      { serve: "migrated", maxConcurrent: 1 },
      { timeout: 300 },
    );
    expect((await fetch(`${base}/?hang`)).status).toBe(504);
    await until(() => shadow.counters().reasons.failed === 1);
    await (await fetch(`${base}/?name=Ada`)).text();
    await until(() => shadow.counters().agreements === 1);
    expect(shadow.counters().reasons.busy).toBe(0);
  });

  it("gives up a legacy script that hangs as the shadow side; later requests are still compared", async () => {
    const hang = legacyScript(`${dir}/hang.cjs`, { timeout: 1000 });
    const { shadow, base } = await serveShadowed(
      { serve: "migrated", maxConcurrent: 1, timeout: 300 },
      { legacy: hang },
    );
    expect(await (await fetch(`${base}/?name=Ada`)).text()).toBe("hello Ada\n");
    await until(() => shadow.counters().timedOut === 1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ shadow: "timeout", side: "legacy" });
    await (await fetch(`${base}/?name=Bea`)).text();
    await until(() => shadow.counters().timedOut === 2);
    expect(shadow.counters().reasons.busy).toBe(0);
  });
});
