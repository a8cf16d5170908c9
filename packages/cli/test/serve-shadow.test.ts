import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
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

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-shadow-"));
  chmodSync(dir, 0o755);
  for (const sub of ["legacy/cgi-bin", "out/cgi-bin"])
    mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, "legacy/cgi-bin/greet.cjs"), LEGACY, { mode: 0o755 });
  writeFileSync(join(dir, "out/cgi-bin/greet.cjs"), MIGRATED);
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
      const match = /over \S+ on (\S+) \(pid[^]*  shadowing .*\n/.exec(err);
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
