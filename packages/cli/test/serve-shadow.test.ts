import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginx, type FrontServer } from "../../runtime/test/support/index.js";

import { CLI_ARGV } from "./run-cli.js";

// As `cgi2wsgi migrate legacy --out-dir out` leaves a site: the scripts in legacy/, the
// modules at the same paths in out/. The migrated greeting differs on ?lang=fr only.
const LEGACY = `#!/usr/bin/env node
var q = new URLSearchParams(process.env.QUERY_STRING);
console.log("Content-Type: text/plain\\n");
console.log((q.get("lang") === "fr" ? "bonjour" : "hello") + " " + (q.get("name") || "world"));
`;
const MIGRATED = `exports.application = function (environ, start_response) {
  var q = new URLSearchParams(environ.QUERY_STRING);
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [(q.get("lang") === "fr" ? "bonjour!" : "hello") + " " + (q.get("name") || "world") + "\\n"];
};
`;

// A second site whose migrated module never answers a request with ?hang in its query.
const LEGACY_HANG = `#!/usr/bin/env node
console.log("Content-Type: text/plain\\n\\nfine");
`;
const MIGRATED_HANG = `exports.application = function (environ, start_response) {
  if (/hang/.test(environ.QUERY_STRING)) return new Promise(function () {});
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["fine\\n"];
};
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-shadow-"));
  chmodSync(dir, 0o755);
  for (const sub of ["legacy/cgi-bin", "out/cgi-bin", "hang-legacy/cgi-bin", "hang-out/cgi-bin"])
    mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, "legacy/cgi-bin/greet.cjs"), LEGACY, { mode: 0o755 });
  writeFileSync(join(dir, "out/cgi-bin/greet.cjs"), MIGRATED);
  writeFileSync(join(dir, "hang-legacy/cgi-bin/hang.cjs"), LEGACY_HANG, { mode: 0o755 });
  writeFileSync(join(dir, "hang-out/cgi-bin/hang.cjs"), MIGRATED_HANG);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startServe(
  args: string[],
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [...CLI_ARGV, "serve", ...args], { cwd: dir });
  let err = "";
  child.stderr!.on("data", (chunk: Buffer) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", () => {
      // Resolved once the start-up lines, shadowing's included, are all out.
      const match = /over \S+ on (\S+) \((?:pid|\d+ workers)[^]*  shadowing .*\n/.exec(err);
      if (match) resolve({ child, url: match[1]!, stderr: () => err });
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

describe("cgi2wsgi serve --shadow", () => {
  it("under load behind nginx: clients see only legacy answers, each difference is logged", async () => {
    const serve = await startServe([
      "out",
      "--listen",
      "127.0.0.1:0",
      "--shadow",
      "--legacy",
      "legacy",
      "--shadow-log",
      "differences.jsonl",
    ]);
    let nginx: FrontServer | undefined;
    const port = Number(new URL(serve.url).port);
    try {
      expect(serve.stderr()).toContain(
        "shadowing 1 module(s) with their legacy scripts in legacy (every request, clients get the legacy answer)",
      );
      nginx = await startNginx({
        upstream: { kind: "http", backend: { host: "127.0.0.1", port } },
        mount: "",
      });
      const queries = Array.from({ length: 90 }, (_, i) =>
        i % 3 === 0 ? `lang=fr&name=u${i}` : `name=u${i}`,
      );
      const answers: string[] = new Array(queries.length);
      let next = 0;
      // 12 clients at once, each sending its next request as soon as it has an answer.
      await Promise.all(
        Array.from({ length: 12 }, async () => {
          while (next < queries.length) {
            const i = next++;
            const res = await fetch(`${nginx!.baseUrl}/cgi-bin/greet.cjs?${queries[i]}`);
            expect(res.status).toBe(200);
            answers[i] = await res.text();
          }
        }),
      );
      for (const [i, query] of queries.entries()) {
        const name = `u${i}`;
        expect(answers[i]).toBe(
          query.startsWith("lang=fr") ? `bonjour ${name}\n` : `hello ${name}\n`,
        );
      }
    } finally {
      await nginx?.close();
      serve.child.kill("SIGTERM");
    }
    const code = serve.child.exitCode ?? (await once(serve.child, "exit"))[0];
    expect(code).toBe(0);
    const summary = /shadow: (\d+) agreed, (\d+) differed, (\d+) skipped.*, 0 not sampled/.exec(
      serve.stderr(),
    );
    expect(summary, serve.stderr()).not.toBeNull();
    const [agreed, differed, skipped] = summary!.slice(1).map(Number) as [number, number, number];
    expect(agreed + differed + skipped).toBe(90);
    // A request that found every comparison slot busy is skipped, never delayed.
    const lines = readFileSync(join(dir, "differences.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(differed);
    expect(differed).toBeGreaterThan(0);
    for (const line of lines) {
      const record = JSON.parse(line);
      expect(record.request.path).toBe("/cgi-bin/greet.cjs");
      expect(record.request.query).toMatch(/^lang=fr&/);
      expect(record.firstDifferingByte).toBe(7);
    }
  });

  it("refuses --shadow without --legacy, and a --legacy that pairs with nothing", async () => {
    const run = async (args: string[]) => {
      const child = spawn(process.execPath, [...CLI_ARGV, "serve", "out", ...args], { cwd: dir });
      let err = "";
      child.stderr.on("data", (chunk: Buffer) => (err += chunk));
      const [code] = await once(child, "exit");
      return { code, err };
    };
    const alone = await run(["--shadow"]);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain("--shadow needs --legacy DIR");
    const nothing = await run(["--shadow", "--legacy", "out/cgi-bin"]);
    expect(nothing.code).toBe(2);
    expect(nothing.err).toContain(
      "no module under out has a legacy script at the same path under out/cgi-bin",
    );
    const rate = await run(["--shadow", "--legacy", "legacy", "--shadow-rate", "2"]);
    expect(rate.err).toContain("--shadow-rate is a share from 0 to 1, got 2");
  });
});

/** A request on a fresh connection (no keep-alive), so prefork workers share them. */
function get(url: string, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: { Connection: "close", "Content-Length": "0" } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

async function statusPage(base: string) {
  return JSON.parse((await get(`${base}/status`)).body);
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopped(child: ChildProcess): Promise<number | null> {
  child.kill("SIGTERM");
  return child.exitCode ?? (await once(child, "exit"))[0];
}

const compared = (shadow: { agreements: number; differences: number }) =>
  shadow.agreements + shadow.differences;

describe("cgi2wsgi serve --shadow --status-path", () => {
  it("shows the comparisons on the status page, in JSON and Prometheus text, as the shadow log and summary count them", async () => {
    const serve = await startServe([
      "out",
      "--listen",
      "127.0.0.1:0",
      "--shadow",
      "--legacy",
      "legacy",
      "--shadow-log",
      "status.jsonl",
      "--shadow-concurrency",
      "8",
      "--status-path",
      "/status",
    ]);
    const base = serve.url;
    try {
      for (const query of ["name=a", "lang=fr&name=b", "name=c", "name=d", "lang=fr&name=e"]) {
        expect((await get(`${base}/cgi-bin/greet.cjs?${query}`)).status).toBe(200);
      }
      expect((await get(`${base}/cgi-bin/greet.cjs`, "POST")).status).toBe(200);
      await until(async () => compared((await statusPage(base)).shadow) === 5);
      const page = await statusPage(base);
      expect(page.shadow).toEqual({
        agreements: 3,
        differences: 2,
        timed_out: 0,
        skipped: 1,
        skipped_by_reason: { unsafe: 1, busy: 0, large: 0, failed: 0 },
        unsampled: 0,
      });
      const lines = readFileSync(join(dir, "status.jsonl"), "utf8").trim().split("\n");
      expect(lines).toHaveLength(2);
      const text = (await get(`${base}/status?prometheus`)).body;
      expect(text).toContain("# TYPE cgi2wsgi_shadow_comparisons_total counter");
      expect(text).toMatch(/^cgi2wsgi_shadow_comparisons_total\{result="agreement"\} 3$/m);
      expect(text).toMatch(/^cgi2wsgi_shadow_comparisons_total\{result="difference"\} 2$/m);
      expect(text).toMatch(/^cgi2wsgi_shadow_comparisons_total\{result="timeout"\} 0$/m);
      expect(text).toMatch(/^cgi2wsgi_shadow_skipped_total\{reason="unsafe"\} 1$/m);
      expect(text).toMatch(/^cgi2wsgi_shadow_skipped_total\{reason="busy"\} 0$/m);
      expect(text).toMatch(/^cgi2wsgi_shadow_unsampled_total 0$/m);
    } finally {
      expect(await stopped(serve.child)).toBe(0);
    }
    expect(serve.stderr()).toContain(
      "shadow: 3 agreed, 2 differed, 1 skipped (1 unsafe), 0 not sampled",
    );
  });

  it("with --workers 2, sums the comparisons of both workers", async () => {
    const serve = await startServe([
      "out",
      "--listen",
      "127.0.0.1:0",
      "--workers",
      "2",
      "--shadow",
      "--legacy",
      "legacy",
      "--shadow-log",
      "workers.jsonl",
      "--shadow-concurrency",
      "8",
      "--status-path",
      "/status",
    ]);
    const base = serve.url;
    let sent = 0;
    let french = 0;
    let page;
    try {
      // Fresh connections until both workers have compared some; the other worker's figures
      // reach the one answering the status page with its heartbeat, once a second.
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 10; i++, sent++) {
          const query = sent % 4 === 0 ? `lang=fr&name=u${sent}` : `name=u${sent}`;
          if (sent % 4 === 0) french++;
          expect((await get(`${base}/cgi-bin/greet.cjs?${query}`)).status).toBe(200);
        }
        await new Promise((resolve) => setTimeout(resolve, 1200));
        page = await statusPage(base);
        const busy = page.processes.filter((p: { shadow: never }) => compared(p.shadow) > 0);
        if (busy.length === 2) break;
      }
      await until(async () => compared((page = await statusPage(base)).shadow) === sent);
    } finally {
      expect(await stopped(serve.child)).toBe(0);
    }
    expect(page.workers).toBe(2);
    const workers: Array<{ agreements: number; differences: number }> = page.processes.map(
      (p: { shadow: { agreements: number; differences: number } }) => p.shadow,
    );
    expect(workers.filter((shadow) => compared(shadow) > 0)).toHaveLength(2);
    expect(page.shadow).toMatchObject({ agreements: sent - french, differences: french });
    expect(workers.reduce((sum, shadow) => sum + shadow.agreements, 0)).toBe(sent - french);
    const lines = readFileSync(join(dir, "workers.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(french);
    // Each worker prints its own counts as it exits; they add up to the status page's.
    const summaries = [
      ...serve.stderr().matchAll(/shadow \(worker pid \d+\): (\d+) agreed, (\d+) differed/g),
    ];
    expect(summaries).toHaveLength(2);
    expect(summaries.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(sent - french);
    expect(summaries.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(french);
  });

  it("gives up on a migrated module that never answers at --timeout: counted, logged, its slot freed", async () => {
    const serve = await startServe([
      "hang-out",
      "--listen",
      "127.0.0.1:0",
      "--shadow",
      "--legacy",
      "hang-legacy",
      "--shadow-log",
      "hang.jsonl",
      "--shadow-concurrency",
      "1",
      "--timeout",
      "2s",
      "--status-path",
      "/status",
    ]);
    const base = serve.url;
    try {
      expect((await get(`${base}/cgi-bin/hang.cjs?hang`)).body).toBe("fine\n");
      // The hung comparison holds the only slot: a request now is answered, not compared.
      expect((await get(`${base}/cgi-bin/hang.cjs?soon`)).body).toBe("fine\n");
      expect((await statusPage(base)).shadow).toMatchObject({ timed_out: 0, skipped: 1 });
      await until(async () => (await statusPage(base)).shadow.timed_out === 1);
      expect((await get(`${base}/cgi-bin/hang.cjs?later`)).body).toBe("fine\n");
      await until(async () => (await statusPage(base)).shadow.agreements === 1);
      expect((await statusPage(base)).shadow).toMatchObject({
        agreements: 1,
        differences: 0,
        timed_out: 1,
        skipped_by_reason: { busy: 1 },
      });
    } finally {
      expect(await stopped(serve.child)).toBe(0);
    }
    const lines = readFileSync(join(dir, "hang.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        shadow: "timeout",
        side: "migrated",
        served: "legacy",
        timeoutMs: 2000,
        request: { method: "GET", path: "/cgi-bin/hang.cjs", query: "hang" },
      }),
    ]);
    expect(serve.stderr()).toContain(
      "shadow: 1 agreed, 0 differed, 1 timed out, 1 skipped (1 busy)",
    );
  });
});
