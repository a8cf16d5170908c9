import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSnippets, substitute } from "../../runtime/test/docs/snippets.js";
import { freePort, startNginxCgi } from "../../runtime/test/support/index.js";
import { CLI_ARGV } from "./run-cli.js";

// docs/cut-over.md, run as written: each `test=` block in order, in a site whose traffic a
// real nginx (with fcgiwrap) logged, with `cgi2wsgi` on PATH running the CLI from sources.
const DOC = fileURLToPath(new URL("../../../docs/cut-over.md", import.meta.url));
const blocks = parseSnippets(readFileSync(DOC, "utf8"));

const GREET = `#!/usr/bin/env node
var q = new URLSearchParams(process.env.QUERY_STRING);
console.log("Content-Type: text/plain\\n");
console.log((q.get("lang") === "fr" ? "bonjour" : "hello") + " " + (q.get("name") || "world"));
`;

let site: string;
let env: Record<string, string>;
let values: Record<string, string>;

beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), "cut-over-"));
  chmodSync(site, 0o755);
  mkdirSync(join(site, "cgi-bin"), { mode: 0o755 });
  mkdirSync(join(site, "bin"));
  writeFileSync(join(site, "cgi-bin/greet.cjs"), GREET, { mode: 0o755 });
  const argv = [process.execPath, ...CLI_ARGV].map((arg) => `'${arg}'`).join(" ");
  writeFileSync(join(site, "bin/cgi2wsgi"), `#!/bin/sh\nexec ${argv} "$@"\n`, { mode: 0o755 });
  env = {
    ...(process.env as Record<string, string>),
    PATH: `${join(site, "bin")}:${process.env.PATH}`,
  };
  const nginx = await startNginxCgi({ scriptsDir: join(site, "cgi-bin") });
  try {
    for (const query of ["name=Ada", "lang=fr&name=Ada", "", "name=Ada"]) {
      await (await fetch(`${nginx.baseUrl}/cgi-bin/greet.cjs?${query}`)).text();
    }
    await (await fetch(`${nginx.baseUrl}/cgi-bin/greet.cjs`, { method: "POST", body: "x" })).text();
    for (
      let i = 0;
      i < 100 && readFileSync(join(nginx.dir, "access.log"), "utf8").split("\n").length < 6;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    writeFileSync(join(site, "access.log"), readFileSync(join(nginx.dir, "access.log")));
  } finally {
    await nginx.close();
  }
  values = {
    "/var/log/nginx/access.log": join(site, "access.log"),
    "8000": String(await freePort()),
  };
});
afterAll(() => rmSync(site, { recursive: true, force: true }));

function block(name: string): string {
  const found = blocks.get(name);
  if (!found) throw new Error(`docs/cut-over.md has no block test=${name}`);
  return substitute(found.text, values).trim();
}

async function run(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawn("sh", ["-c", block(name)], { cwd: site, env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const [code] = await once(child, "exit");
  return { code, stdout, stderr };
}

/** Starts a documented `serve`, sends `queries`, stops it with SIGTERM. */
async function serveAndStop(name: string, queries: string[]) {
  const child: ChildProcess = spawn("sh", ["-c", `exec ${block(name)}`], { cwd: site, env });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  const url = `http://127.0.0.1:${values["8000"]}/cgi-bin/greet.cjs`;
  const answers: string[] = [];
  try {
    for (let i = 0; i < 300 && !/other scripts in/.test(stderr); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const query of queries) answers.push(await (await fetch(`${url}?${query}`)).text());
    // Comparisons run after each answer; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  return { code, stderr, answers };
}

describe("docs/cut-over.md", () => {
  it("names its test blocks as this test runs them", () => {
    expect([...blocks.keys()]).toEqual([
      "cut-over-lint",
      "cut-over-migrate",
      "cut-over-verify",
      "cut-over-verify-log",
      "cut-over-shadow",
      "cut-over-shadow-migrated",
      "cut-over-switch",
    ]);
  });

  it("1-4: lint finds the usage, migrate writes migrated/, verify agrees on generated and logged requests", async () => {
    const lint = await run("cut-over-lint");
    expect(lint.code).toBe(1);
    expect(lint.stdout).toContain("cgi-bin/greet.cjs");
    const migrate = await run("cut-over-migrate");
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(existsSync(join(site, "migrated/greet.cjs"))).toBe(true);
    expect(
      JSON.parse(readFileSync(join(site, "migrate-report.json"), "utf8")).files[0].status,
    ).toBe("migrated");
    const verify = await run("cut-over-verify");
    expect(verify.stdout).toContain("1 script(s), 5 request(s) each: 1 equivalent, 0 differ");
    expect(verify.code).toBe(0);
    const fromLog = await run("cut-over-verify-log");
    expect(fromLog.stdout).toContain("access.log: 5 line(s), 5 request(s)\n");
    expect(fromLog.stdout).toContain(
      "✓ cgi-bin/greet.cjs vs migrated/greet.cjs (/cgi-bin/greet.cjs): 3 of 3 distinct request(s) agreed",
    );
    expect(fromLog.stdout).toContain(
      "not replayable (the log holds no body; give one with --cases): POST /cgi-bin/greet.cjs",
    );
    expect(fromLog.code).toBe(0);
  });

  it("5-6: shadowing serves legacy answers and reports its comparisons; the switch serves the modules alone", async () => {
    const shadow = await serveAndStop("cut-over-shadow", ["name=Ada", "lang=fr", ""]);
    expect(shadow.answers).toEqual(["hello Ada\n", "bonjour world\n", "hello world\n"]);
    expect(shadow.stderr).toContain(
      "cgi2wsgi: shadow: 3 agreed, 0 differed, 0 skipped, 0 not sampled",
    );
    expect(shadow.code).toBe(0);
    expect(readFileSync(join(site, "shadow.jsonl"), "utf8")).toBe("");
    const migrated = await serveAndStop("cut-over-shadow-migrated", ["name=Eve"]);
    expect(migrated.answers).toEqual(["hello Eve\n"]);
    expect(migrated.stderr).toContain("(10% of requests, clients get the migrated answer)");
    expect(migrated.stderr).toMatch(/shadow: \d agreed, 0 differed/);
    const switched = await serveAndStop("cut-over-switch", ["lang=fr&name=Ada"]);
    expect(switched.answers).toEqual(["bonjour Ada\n"]);
    expect(switched.stderr).not.toContain("shadow");
    expect(switched.code).toBe(0);
  });
});
