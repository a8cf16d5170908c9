import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const LEGACY = `#!/usr/bin/env node
var name = new URLSearchParams(process.env.QUERY_STRING).get("name") || "world";
console.log("Content-Type: text/plain\\n");
console.log("hello " + name);
`;

// What a faithful migration of LEGACY looks like, and one with a changed greeting and header.
const application = (
  greeting: string,
  headers: string,
) => `exports.application = function (environ, start_response) {
  var name = new URLSearchParams(environ.QUERY_STRING).get("name") || "world";
  start_response("200 OK", [["Content-Type", "text/plain"]${headers}]);
  return ["${greeting} " + name + "\\n"];
};
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cli-verify-"));
  chmodSync(dir, 0o755);
  const files: Record<string, [string, number]> = {
    "legacy/cgi-bin/hello.cjs": [LEGACY, 0o755],
    "legacy/lib/helper.cjs": ["module.exports = 1;\n", 0o644],
    "good/cgi-bin/hello.cjs": [application("hello", ""), 0o644],
    "bad/cgi-bin/hello.cjs": [application("Hello", ', ["X-Extra", "1"]'), 0o644],
    "cases.json": [JSON.stringify([{ name: "Ada", query: "name=Ada" }]), 0o644],
    "broken-cases.json": [JSON.stringify({ query: "x" }), 0o644],
  };
  for (const [path, [text, mode]] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    chmodSync(join(dir, path), mode);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const verify = (args: string[]) => runCli(["verify", ...args], { cwd: dir });

describe("cgi2wsgi verify", () => {
  it("a faithful pair of directories: every default request answers the same, exit 0", async () => {
    const { code, stdout, stderr } = await verify(["legacy", "good"]);
    expect(stderr).toBe("");
    expect(stdout).toContain("legacy/cgi-bin/hello.cjs vs good/cgi-bin/hello.cjs\n");
    for (const name of ["GET", "GET with a query", "form POST", "JSON POST", "HEAD"]) {
      expect(stdout).toContain(`✓ ${name}\n`);
    }
    // Only executable files are CGI scripts: the helper is not run.
    expect(stdout).not.toContain("helper");
    expect(stdout).toContain("1 script(s), 5 request(s) each: 1 equivalent, 0 differ");
    expect(code).toBe(0);
  });

  it("a pair that differs: each difference shown, body from its first differing byte, exit 1", async () => {
    const { code, stdout } = await verify(["legacy/cgi-bin/hello.cjs", "bad/cgi-bin/hello.cjs"]);
    expect(code).toBe(1);
    expect(stdout).toContain("✗ GET\n");
    expect(stdout).toContain('    header x-extra: legacy "(absent)", migrated "1"\n');
    expect(stdout).toContain(
      '    body: legacy "12 bytes, from byte 0: \\"hello world\\\\n\\"", migrated "12 bytes, from byte 0: \\"Hello world\\\\n\\""',
    );
    expect(stdout).toContain("1 script(s), 5 request(s) each: 0 equivalent, 1 differ");
  });

  it("--cases sends the requests of a JSON list; a malformed list is a usage error", async () => {
    const { code, stdout } = await verify(["legacy", "good", "--cases", "cases.json"]);
    expect(code).toBe(0);
    expect(stdout).toContain("✓ Ada\n");
    expect(stdout).toContain("1 request(s) each");
    const broken = await verify(["legacy", "good", "--cases", "broken-cases.json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("expected a JSON array of requests");
  });

  it("a script with no migrated counterpart, and bad arguments", async () => {
    const missing = await verify(["legacy", "legacy/lib"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      "✗ legacy/cgi-bin/hello.cjs: no migrated module at the same path",
    );
    const cases: Array<[string[], string]> = [
      [["legacy"], "verify needs <legacy-path> <migrated-path>"],
      [["legacy", "nowhere"], "nowhere does not exist"],
      [["legacy", "good/cgi-bin/hello.cjs"], "must both be files or both be directories"],
      [["legacy", "good", "--case", "x"], "did you mean --cases?"],
    ];
    for (const [args, message] of cases) {
      const run = await verify(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});
