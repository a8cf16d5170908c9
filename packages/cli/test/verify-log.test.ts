import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  sharedNode,
  startApache,
  startNginxCgi,
  type FrontServer,
} from "../../runtime/test/support/index.js";
import { runCli } from "./run-cli.js";

// A greeting that speaks French on ?lang=fr; its "migration" forgot the accent-free
// spelling the site uses there. No generated case sends lang=fr; the site's visitors did.
// Apache runs it as www-data, hence a Node every user may run.
const LEGACY = `#!${sharedNode()}
var q = new URLSearchParams(process.env.QUERY_STRING);
var hello = q.get("lang") === "fr" ? "bonjour" : "hello";
if (process.env.REQUEST_METHOD === "POST") hello += " (posted " + require("fs").readFileSync(0, "utf8") + ")";
console.log("Content-Type: text/plain\\n");
console.log(hello + " " + (q.get("name") || "world"));
`;
const MIGRATED = `exports.application = function (environ, start_response) {
  var q = new URLSearchParams(environ.QUERY_STRING);
  var hello = q.get("lang") === "fr" ? "bonjour!" : "hello";
  if (environ.REQUEST_METHOD === "POST") hello += " (posted " + environ["wsgi.input"].read().toString() + ")";
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [hello + " " + (q.get("name") || "world") + "\\n"];
};
`;
// nginx's escape=json log, as sites write it for log shippers.
const JSON_LOG = `log_format jsonl escape=json '{"time":"$time_iso8601","method":"$request_method","uri":"$uri","args":"$args","status":$status}';
  access_log DIR/access.jsonl jsonl;`;

let dir: string;
let nginx: FrontServer;
let apache: FrontServer;

async function waitForLines(file: string, count: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = readFileSync(file, "utf8");
    if (text.split("\n").length > count) return text;
    await sleep(25);
  }
  throw new Error(`${file} never reached ${count} lines`);
}

// A TLS ClientHello on the plain port, as scanners send: nginx logs it as a 400 with bytes
// for a request line.
function sendGarbage(port: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () =>
      socket.end(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x0d, 0x0a, 0x0d, 0x0a])),
    );
    socket.on("close", () => resolve());
    socket.on("error", () => resolve());
    socket.resume();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-verify-log-"));
  chmodSync(dir, 0o755);
  const files: Record<string, [string, number]> = {
    "legacy/greet.cjs": [LEGACY, 0o755],
    "migrated/greet.cjs": [MIGRATED, 0o644],
    "bodies.json": [JSON.stringify([{ name: "a form", method: "POST", body: "x=1" }]), 0o644],
  };
  for (const [path, [text, mode]] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    chmodSync(dirname(join(dir, path)), 0o755);
    writeFileSync(join(dir, path), text);
    chmodSync(join(dir, path), mode);
  }
  const scriptsDir = join(dir, "legacy");
  nginx = await startNginxCgi({ scriptsDir, extraHttp: JSON_LOG.replace("DIR", dir) });
  apache = await startApache({ mode: { kind: "cgi", scriptsDir } });
  const site = "/cgi-bin/greet.cjs";
  for (const target of [
    `${site}?name=Ada`,
    `${site}?lang=fr&name=Ada`,
    `${site}?name=Ada`,
    "/favicon.ico",
  ]) {
    await (await fetch(nginx.baseUrl + target)).arrayBuffer();
  }
  await (await fetch(`${nginx.baseUrl}${site}`, { method: "HEAD" })).arrayBuffer();
  await (await fetch(`${nginx.baseUrl}${site}?step=2`, { method: "POST", body: "x=1" })).text();
  await sendGarbage(nginx.port);
  for (const target of [`${site}?name=Bob`, `${site}/extra?name=Eve`]) {
    await (await fetch(apache.baseUrl + target)).arrayBuffer();
  }
  // Logs as they are found on a server: the combined one rotated and gzipped.
  const combined = await waitForLines(join(nginx.dir, "access.log"), 7);
  writeFileSync(join(dir, "access.log.2.gz"), gzipSync(combined));
  writeFileSync(join(dir, "access.jsonl"), await waitForLines(join(dir, "access.jsonl"), 7));
  writeFileSync(join(dir, "apache.log"), await waitForLines(join(apache.dir, "access.log"), 2));
}, 60_000);
afterAll(async () => {
  await nginx?.close();
  await apache?.close();
  rmSync(dir, { recursive: true, force: true });
});

const verify = (args: string[]) => runCli(["verify", "legacy", "migrated", ...args], { cwd: dir });

describe("verify --from-log on logs nginx and Apache wrote", () => {
  it("the generated cases never send lang=fr: they find nothing", async () => {
    const { code, stdout } = await verify([]);
    expect(stdout).toContain("1 script(s), 5 request(s) each: 1 equivalent, 0 differ");
    expect(code).toBe(0);
  });

  it("nginx's combined log, gzipped: the one differing query is found, the rest agree", async () => {
    const { code, stdout } = await verify(["--from-log", "access.log.2.gz", "--mount", "/cgi-bin"]);
    expect(stdout).toContain("access.log.2.gz: 7 line(s), 6 request(s), 1 unparsable line(s)");
    expect(stdout).toContain("1 logged request(s) for other paths");
    expect(stdout).toContain(
      "✗ legacy/greet.cjs vs migrated/greet.cjs (/cgi-bin/greet.cjs): 2 of 3 distinct request(s) agreed",
    );
    expect(stdout).toContain("✗ GET /cgi-bin/greet.cjs?lang=fr&name=Ada\n");
    expect(stdout).toContain(
      'body: legacy "12 bytes, from byte 7: \\" Ada\\\\n\\"", migrated "13 bytes',
    );
    expect(stdout).toContain(
      "not replayable (the log holds no body; give one with --cases): POST /cgi-bin/greet.cjs?step=2",
    );
    expect(stdout).toContain("1 script(s), distinct logged requests: 0 equivalent, 1 differ");
    expect(code).toBe(1);
  });

  it("nginx's escape=json log, with --cases lending the POST its body; --max-cases bounds it", async () => {
    const run = await verify([
      "--from-log",
      "access.jsonl",
      "--mount",
      "/cgi-bin/",
      "--cases",
      "bodies.json",
    ]);
    expect(run.stdout).toContain(
      "access.jsonl: 7 line(s), 6 request(s), 1 unparsable line(s) skipped (first: line 7: the method or path is empty",
    );
    expect(run.stdout).toContain("3 of 4 distinct request(s) agreed");
    expect(run.stdout).not.toContain("not replayable");
    const bounded = await verify([
      "--from-log",
      "access.jsonl",
      "--mount",
      "/cgi-bin",
      "--max-cases",
      "1",
    ]);
    expect(bounded.stdout).toContain("of 1 distinct request(s) agreed");
    expect(bounded.stdout).toContain("    2 more left out by --max-cases 1\n");
  });

  it("Apache's common log: PATH_INFO kept, every logged request agrees, exit 0", async () => {
    const { code, stdout } = await verify(["--from-log", "apache.log", "--mount", "/cgi-bin"]);
    expect(stdout).toContain("apache.log: 2 line(s), 2 request(s)\n");
    expect(stdout).toContain(
      "✓ legacy/greet.cjs vs migrated/greet.cjs (/cgi-bin/greet.cjs): 2 of 2",
    );
    expect(code).toBe(0);
  });

  it("a log that is not there, and a bad --max-cases, are usage errors", async () => {
    const missing = await verify(["--from-log", "nowhere.log"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the access log");
    const bad = await verify(["--from-log", "apache.log", "--max-cases", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-cases must be a whole number above 0, got 0");
  });
});
