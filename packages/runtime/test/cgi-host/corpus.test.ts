import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join, relative, resolve } from "node:path";
import {
  IGNORED_HEADERS,
  migrateSource,
  runLegacyCgi,
  verifyPair,
  type CaseRequest,
  type CaseResponse,
} from "@cgi2wsgi/codemod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Headers } from "../../src/types.js";
import {
  removeTempDir,
  startNginx,
  startProcess,
  type FrontServer,
  type ManagedProcess,
} from "../support/index.js";

// The proof of mixing: the fixture corpus of legacy scripts, every other fixture
// migrated by the codemod (and verified), served from one mixedDirectory behind nginx. Every request must
// answer as the untouched legacy script does when run as a real CGI process.
const CORPUS = resolve(import.meta.dirname, "../../../../test-fixtures");
const SOURCE = /\.(c|m)?[jt]s$/;

interface Fixture {
  name: string;
  scripts: string[];
  sources: string[];
  requests: CaseRequest[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const fixtures: Fixture[] = readdirSync(CORPUS)
  .filter((name) => statSync(join(CORPUS, name)).isDirectory())
  .sort()
  .map((name) => {
    const dir = join(CORPUS, name);
    const sources = walk(dir)
      .map((file) => relative(dir, file))
      .filter((file) => SOURCE.test(file) && !file.includes(".expected."));
    return {
      name,
      sources,
      scripts: sources.filter((file) => file.startsWith("cgi-bin/")),
      requests: JSON.parse(readFileSync(join(dir, "requests.json"), "utf8")) as CaseRequest[],
    };
  });

// What nginx's proxy location adds to every request, so the legacy runs see it too.
const PROXY_HEADERS = { "X-Forwarded-For": "127.0.0.1" };
const proxied = (req: CaseRequest): CaseRequest => ({
  ...req,
  headers: { ...PROXY_HEADERS, ...req.headers },
});

let work: string;
let server: ManagedProcess;
let nginx: FrontServer;
const migrated = new Set<string>();
/** Legacy answers already gathered by verifyPair, by `<script name>#<request index>`. */
const legacyAnswers = new Map<string, CaseResponse>();

/**
 * Migrates a fixture in the work tree as a careful team would deploy it: only files that
 * migrate reports as `migrated`, and only if `verifyPair` (what `cgi2wsgi verify` runs)
 * finds every script equivalent; otherwise the fixture stays legacy. What is under test
 * here is serving, not the codemod, whose gaps its own corpus test tracks.
 */
async function migrateFixture(fixture: Fixture): Promise<void> {
  const dir = join(work, fixture.name);
  for (const source of fixture.sources) {
    const file = join(dir, source);
    const result = await migrateSource(readFileSync(file, "utf8"), { filename: file });
    if (result.status === "migrated") writeFileSync(file, result.code);
  }
  const reports = [];
  for (const script of fixture.scripts) {
    const scriptName = `/${fixture.name}/${script}`;
    const report = await verifyPair(
      join(CORPUS, fixture.name, script),
      join(dir, script),
      fixture.requests.map(proxied),
      { scriptName },
    );
    reports.push({ scriptName, report });
  }
  if (!reports.every(({ report }) => report.equivalent)) {
    cpSync(join(CORPUS, fixture.name), dir, { recursive: true, force: true });
    return;
  }
  for (const { scriptName, report } of reports) {
    migrated.add(scriptName);
    for (const [i, result] of report.cases.entries()) {
      legacyAnswers.set(`${scriptName}#${i}`, result.legacy);
    }
  }
}

beforeAll(async () => {
  // Inside the package, so migrated modules resolve @cgi2wsgi/runtime as in a real project.
  work = mkdtempSync(join(import.meta.dirname, ".tmp-corpus-"));
  for (const fixture of fixtures) {
    cpSync(join(CORPUS, fixture.name), join(work, fixture.name), { recursive: true });
  }
  const candidates = fixtures.filter((_, index) => index % 2 === 0);
  // Two at a time: each verification runs real Node processes.
  for (let i = 0; i < candidates.length; i += 2) {
    await Promise.all(candidates.slice(i, i + 2).map(migrateFixture));
  }
  server = startProcess(process.execPath, [
    "--conditions=cgi2wsgi-source",
    "--import",
    "tsx",
    join(import.meta.dirname, "mixed-server-entry.ts"),
    work,
  ]);
  let port = 0;
  for (let i = 0; i < 200 && !port; i++) {
    await new Promise((done) => setTimeout(done, 50));
    port = Number(/listening (\d+)/.exec(server.output())?.[1] ?? 0);
  }
  if (!port) throw new Error(`the mixed server did not start:\n${server.output()}`);
  nginx = await startNginx({ upstream: { kind: "http", backend: { host: "127.0.0.1", port } } });
}, 300_000);
afterAll(async () => {
  await nginx?.close();
  await server?.stop();
  if (work) await removeTempDir(work);
});

/** Sends a fixture request through nginx to the script at `/<fixture>/<script>`. */
function viaNginx(url: string, req: CaseRequest): Promise<CaseResponse> {
  const body =
    typeof req.body === "object"
      ? Buffer.from(req.body.base64, "base64")
      : Buffer.from(req.body ?? "");
  const headers: Record<string, string> = { Host: "localhost", ...req.headers };
  if (body.length > 0) headers["Content-Length"] = String(body.length);
  return new Promise((done, fail) => {
    const sent = httpRequest(url, { method: req.method ?? "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const pairs: Headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        }
        done({
          status: `${res.statusCode} ${res.statusMessage}`,
          headers: pairs,
          body: Buffer.concat(chunks),
          origin: "script",
          errors: "",
        });
      });
    });
    sent.on("error", fail);
    sent.end(body);
  });
}

// nginx writes some headers (Content-Type, Location) in its own order: compare by name,
// keeping the order of repeated ones (a stable sort).
const comparable = (headers: Headers) =>
  headers
    .filter(([name]) => !IGNORED_HEADERS.has(name.toLowerCase()))
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort((a, b) =>
      a.split(":")[0]! < b.split(":")[0]! ? -1 : a.split(":")[0]! > b.split(":")[0]! ? 1 : 0,
    );

describe("the corpus, half migrated, served by one mixedDirectory behind nginx", () => {
  it("runs a good part of the scripts migrated, in-process", () => {
    const scripts = fixtures.flatMap((f) => f.scripts);
    expect(migrated.size).toBeGreaterThan(scripts.length / 4);
    expect(migrated.size).toBeLessThan(scripts.length);
    expect(server.output()).not.toContain("cannot load");
  });

  for (const fixture of fixtures) {
    it(fixture.name, { timeout: 60_000 }, async () => {
      for (const script of fixture.scripts) {
        const scriptName = `/${fixture.name}/${script}`;
        for (const [i, req] of fixture.requests.entries()) {
          const legacy =
            legacyAnswers.get(`${scriptName}#${i}`) ??
            (await runLegacyCgi(join(CORPUS, fixture.name, script), proxied(req), {
              scriptName,
            }));
          const query = req.query ? `?${req.query}` : "";
          const served = await viaNginx(
            `${nginx.baseUrl}${scriptName}${req.path ?? ""}${query}`,
            req,
          );
          const label = `${scriptName} ${req.method ?? "GET"} ${req.path ?? ""}${query}`;
          if (legacy.origin === "gateway") {
            // A crash: CGI servers differ in the exact 5xx (Apache 500, nginx 502).
            expect(Number(served.status.slice(0, 3)), label).toBeGreaterThanOrEqual(500);
            continue;
          }
          expect(served.status, label).toBe(legacy.status);
          expect(comparable(served.headers), label).toEqual(comparable(legacy.headers));
          expect(served.body.toString("latin1"), label).toBe(legacy.body.toString("latin1"));
        }
      }
    });
  }
});
