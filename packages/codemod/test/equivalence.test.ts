import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  formatReport,
  loadApplication,
  runLegacyCgi,
  runMigrated,
  runMigratedIsolated,
  verifyPair,
} from "../src/equivalence/index.js";

const fixtures = resolve(import.meta.dirname, "../../../test-fixtures");
const fixture = (name: string, script: string) => join(fixtures, name, "cgi-bin", script);
// Inside the package, so migrated modules resolve @cgi2wsgi/runtime like real ones would.
let tmp: string;

function writeScript(name: string, source: string): string {
  const file = join(tmp, "cgi-bin", name);
  writeFileSync(file, source);
  chmodSync(file, 0o755);
  return file;
}

function writeModule(name: string, source: string): string {
  const file = join(tmp, "migrated", name);
  writeFileSync(file, source);
  return file;
}

beforeAll(() => {
  tmp = mkdtempSync(join(import.meta.dirname, ".tmp-equivalence-"));
  mkdirSync(join(tmp, "cgi-bin"));
  mkdirSync(join(tmp, "migrated"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("runLegacyCgi", () => {
  it("runs a script as a CGI server does and parses its answer", async () => {
    const res = await runLegacyCgi(fixture("hello-var", "hello.cjs"), { query: "name=Ada" });
    expect(res).toMatchObject({
      status: "200 OK",
      headers: [["Content-Type", "text/html; charset=utf-8"]],
      origin: "script",
    });
    expect(res.body.toString()).toBe("<html><body>\n<h1>Hello, Ada!</h1>\n</body></html>\n");
    const head = await runLegacyCgi(fixture("hello-var", "hello.cjs"), { method: "HEAD" });
    expect(head.body.length).toBe(0);
  });

  it("gives the body on stdin, in every way scripts read it", async () => {
    const post = { method: "POST", headers: { "Content-Type": "text/plain" }, body: "héllo\n" };
    const devStdin = await runLegacyCgi(fixture("form-dev-stdin", "echo.cjs"), post);
    expect(devStdin.body.toString()).toBe("method=POST type=text/plain\nhéllo\n\n");
    const bytes = {
      method: "POST",
      body: { base64: Buffer.from([0, 1, 2, 255]).toString("base64") },
    };
    const readable = await runLegacyCgi(fixture("stdin-readable", "checksum.cjs"), bytes);
    expect(readable.body.toString()).toMatch(/^4 [0-9a-f]{64}\n$/);
  });

  it("reads the status line of an nph- script and runs TypeScript through its shebang", async () => {
    const nph = await runLegacyCgi(fixture("nph-script", "nph-progress.cjs"), {});
    expect(nph.status).toBe("200 OK");
    expect(nph.body.toString()).toContain("4/4 done");
    const ts = await runLegacyCgi(fixture("hello-ts", "hello.ts"), { query: "times=2" });
    expect(ts.body.toString()).toBe("Hello, world!\nHello, world!\n");
  });

  it("answers for the script as a server would: 500, 502, 504", async () => {
    const crash = await runLegacyCgi(fixture("uncaught-error", "broken.cjs"), { query: "crash" });
    expect(crash).toMatchObject({ status: "500 Internal Server Error", origin: "gateway" });
    expect(crash.errors).toContain("TypeError");
    const noHeaders = writeScript("plain.cjs", '#!/usr/bin/env node\nconsole.log("just text");\n');
    expect(await runLegacyCgi(noHeaders, {})).toMatchObject({
      status: "502 Bad Gateway",
      origin: "gateway",
    });
    const hang = writeScript("hang.cjs", "#!/usr/bin/env node\nsetInterval(() => {}, 1000);\n");
    const slow = await runLegacyCgi(hang, {}, { timeoutMs: 300 });
    expect(slow).toMatchObject({ status: "504 Gateway Timeout", origin: "gateway" });
  });
});

describe("runMigrated and verifyPair", () => {
  it("gives the legacy script and the application the same meta-variables", async () => {
    const dump = writeScript(
      "env.cjs",
      `#!/usr/bin/env node
const keys = Object.keys(process.env).filter((k) => !["PATH", "SCRIPT_FILENAME"].includes(k)).sort();
process.stdout.write("Content-Type: text/plain\\n\\n" + keys.map((k) => k + "=" + process.env[k]).join("\\n"));
`,
    );
    const app = writeModule(
      "env.mjs",
      `export function application(environ, start_response) {
  const keys = Object.keys(environ).filter((k) => typeof environ[k] === "string" && !k.startsWith("wsgi.")).sort();
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [keys.map((k) => k + "=" + environ[k]).join("\\n")];
}
`,
    );
    const report = await verifyPair(dump, app, [
      {
        method: "POST",
        path: "/a%20b",
        query: "x=1",
        headers: { Cookie: "c=1", Proxy: "evil" },
        body: "data",
      },
    ]);
    expect(formatReport(report)).not.toContain("✗");
    expect(report.cases[0]!.legacy.body.toString()).toContain("PATH_INFO=/a b\n");
    expect(report.cases[0]!.legacy.body.toString()).not.toContain("HTTP_PROXY");
  });

  it("proves a hand-migrated fixture equivalent", async () => {
    const app = writeModule(
      "hello.cjs",
      `const querystring = require("querystring");
exports.application = function (environ, start_response) {
  const name = querystring.parse(environ.QUERY_STRING).name || "world";
  const safe = String(name).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
  return ["<html><body>\\n", "<h1>Hello, " + safe + "!</h1>\\n", "</body></html>\\n"];
};
`,
    );
    const requests = [{}, { query: "name=%3Cb%3E" }, { method: "HEAD" }];
    const report = await verifyPair(fixture("hello-var", "hello.cjs"), app, requests);
    expect(report.equivalent).toBe(true);
    expect(report.cases.map((c) => c.name)).toEqual(["GET /", "GET /?name=%3Cb%3E", "HEAD /"]);
  });

  it("reports every difference of a wrong migration", async () => {
    const app = writeModule(
      "wrong.mjs",
      `export default (environ, start_response) => {
  if (environ.QUERY_STRING === "to=x") throw new Error("boom");
  start_response("302 Found", [["location", "https://example.org/docs"], ["X-Extra", "1"]]);
  return [];
};
`,
    );
    const report = await verifyPair(fixture("redirect-location", "go.cjs"), app, [
      { query: "to=docs" },
      { query: "to=x" },
    ]);
    expect(report.equivalent).toBe(false);
    expect(report.cases[0]!.differences).toEqual([
      { what: "header", name: "x-extra", legacy: "(absent)", migrated: "1" },
    ]);
    expect(report.cases[1]!.migrated).toMatchObject({
      status: "500 Internal Server Error",
      origin: "gateway",
    });
    expect(formatReport(report)).toMatch(
      /✗ GET \/\?to=x\n {4}status: legacy "404 Not Found", migrated "500 Internal Server Error"/,
    );
  });

  it("loads applications from CommonJS, ES modules and TypeScript", async () => {
    const ts = writeModule(
      "typed.ts",
      `import type { Application } from "@cgi2wsgi/runtime";
export const application: Application = (environ, start_response) => {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [\`typed \${environ.REQUEST_METHOD}\`];
};
`,
    );
    const res = await runMigrated(ts, { method: "PUT" });
    expect(res.body.toString()).toBe("typed PUT");
    await expect(loadApplication(writeModule("none.mjs", "export const x = 1;\n"))).rejects.toThrow(
      /exports no application/,
    );
  });

  it("serves a module from its own process, as a server loads it, once for all requests", async () => {
    const app = writeModule(
      "counter.cjs",
      `const { parseCgiResponse } = require("@cgi2wsgi/runtime");
let hits = 0;
exports.application = (environ, start_response) => {
  hits += 1;
  const res = parseCgiResponse(Buffer.from("Content-Type: text/plain\\n\\nhit " + hits));
  start_response(res.status, res.headers);
  return [res.body];
};
`,
    );
    const answers = await runMigratedIsolated(app, [{}, {}]);
    expect(answers.map((a) => a.body.toString())).toEqual(["hit 1", "hit 2"]);
    const report = await verifyPair(fixture("module-counter", "counter.cjs"), app, [{}, {}]);
    expect(report.cases.map((c) => c.differences.length > 0)).toEqual([true, true]);
  });

  it("answers 500 for every request when the module kills its server", async () => {
    const app = writeModule(
      "exits.mjs",
      `export function application() {\n  process.exit(3);\n}\n`,
    );
    const report = await verifyPair(fixture("hello-var", "hello.cjs"), app, [{}]);
    expect(report.cases[0]!.migrated).toMatchObject({
      status: "500 Internal Server Error",
      origin: "gateway",
    });
    expect(report.cases[0]!.migrated.reason).toMatch(/exit 3/);
  });
});
