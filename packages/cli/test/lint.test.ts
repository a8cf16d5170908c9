import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDanglingLink, makeLintTree } from "./lint-tree.js";
import { runCli } from "./run-cli.js";
import { sarifSchemaErrors } from "./sarif-schema.js";

let dir: string;
beforeAll(() => {
  dir = makeLintTree();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lint = (args: string[], env?: Record<string, string>) =>
  runCli(["lint", ...args], { cwd: dir, env });

interface JsonReport {
  files: Array<{ path: string; messages: Array<{ rule: string; line: number; fixable: boolean }> }>;
  summary: { files: number; errors: number; warnings: number };
}

describe("cgi2wsgi lint: formats", () => {
  it("stylish: lists findings by file, skips node_modules and .gitignore'd files, exits 1", async () => {
    const { code, stdout, stderr } = await lint(["."]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toContain(
      "cgi-bin/hello.cjs\n  2:32  error  reads the CGI meta-variable QUERY_STRING",
    );
    expect(stdout).toMatch(
      /3:1 +error +prints a CGI header block \(Content-Type\) to stdout \(fixable\) +cgi-header-block/,
    );
    expect(stdout).not.toMatch(/node_modules|generated|scratch|silenced|config\.js/);
    expect(stdout).not.toContain("\u001b[");
    expect(stdout).toMatch(/✖ \d+ problems \(\d+ errors, 0 warnings\)/);
  });

  it("colours only when asked: FORCE_COLOR=1 on a pipe, NO_COLOR beats nothing", async () => {
    expect((await lint(["cgi-bin"], { FORCE_COLOR: "1" })).stdout).toContain("\u001b[31merror");
    expect((await lint(["cgi-bin", "--color"], { NO_COLOR: "1" })).stdout).toContain("\u001b[");
    expect((await lint(["cgi-bin"], { NO_COLOR: "1" })).stdout).not.toContain("\u001b[");
  });

  it("json: every finding with rule, position and fixability; the ignore comment honoured", async () => {
    const { code, stdout } = await lint(["cgi-bin", "lib", "--format", "json"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    const byPath = Object.fromEntries(
      report.files.map((file) => [file.path, file.messages.map((m) => `${m.rule}@${m.line}`)]),
    );
    expect(byPath).toEqual({
      "cgi-bin/form.mjs": [
        "cgi-env-read@2",
        "cgi-stdin-body@2",
        "cgi-header-block@4",
        "cgi-process-exit@5",
      ],
      "cgi-bin/hello.cjs": ["cgi-env-read@2", "cgi-header-block@3"],
      "lib/broken.js": ["syntax-error@3"],
      "lib/old-app.js": ["swapped-application-signature@1"],
    });
    expect(report.files.find((f) => f.path === "lib/old-app.js")!.messages[0]!.fixable).toBe(false);
    expect(report.summary).toMatchObject({ files: 6, errors: 8, warnings: 0 });
  });

  it("sarif: valid SARIF 2.1.0 with every rule declared and relative, encoded URIs", async () => {
    const { code, stdout } = await lint([".", "--format", "sarif"]);
    expect(code).toBe(1);
    const sarif = JSON.parse(stdout);
    expect(sarifSchemaErrors(sarif)).toBe("");

    const run = sarif.runs[0];
    const ruleIds = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
    expect(ruleIds).toContain("cgi-env-read");
    for (const result of run.results) {
      expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
      const location = result.locations[0].physicalLocation;
      expect(location.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(location.artifactLocation.uri).not.toMatch(/^(\/|file:)/);
    }
    const uris = run.results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris).toContain("pages/my%20page.js");
    expect(uris).toContain("cgi-bin/hello.cjs");
    expect(run.originalUriBaseIds["%SRCROOT%"].uri).toMatch(/^file:\/\/\/.*\/$/);
  });

  it("github: one workflow annotation per finding", async () => {
    const { code, stdout } = await lint(["cgi-bin/hello.cjs", "--format", "github"]);
    expect(code).toBe(1);
    expect(stdout.trim().split("\n")).toEqual([
      "::error file=cgi-bin/hello.cjs,line=2,col=32,endLine=2,endColumn=56,title=cgi2wsgi cgi-env-read::reads the CGI meta-variable QUERY_STRING from process.env (fixable: run cgi2wsgi migrate)",
      "::error file=cgi-bin/hello.cjs,line=3,col=1,endLine=3,endColumn=43,title=cgi2wsgi cgi-header-block::prints a CGI header block (Content-Type) to stdout (fixable: run cgi2wsgi migrate)",
    ]);
  });

  it("--output writes the report to a file and nothing to stdout", async () => {
    const { code, stdout } = await lint(["cgi-bin", "-f", "json", "-o", "reports/lint.json"]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const report = JSON.parse(readFileSync(join(dir, "reports/lint.json"), "utf8")) as JsonReport;
    expect(report.files.map((file) => file.path)).toEqual([
      "cgi-bin/form.mjs",
      "cgi-bin/hello.cjs",
    ]);
  });

  it("exits 0 on clean code, and matches quoted globs", async () => {
    const clean = await lint(["clean", "lib/config.js"]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("no CGI usage in 2 files");
    const glob = await lint(["cgi-bin/*.cjs", "-f", "json"]);
    expect((JSON.parse(glob.stdout) as JsonReport).files.map((f) => f.path)).toEqual([
      "cgi-bin/hello.cjs",
    ]);
  });
});

describe("cgi2wsgi lint: .gitignore", () => {
  it("checks a directory named on the command line even when a .gitignore above ignores it", async () => {
    const { stdout } = await lint(["generated", "-f", "json"]);
    expect((JSON.parse(stdout) as JsonReport).files.map((f) => f.path)).toEqual([
      "generated/out.js",
    ]);
  });
});

describe("cgi2wsgi lint: usage errors and unreadable files exit 2", () => {
  it("names the fix for unknown options, bad values, missing and unmatched paths", async () => {
    const unknown = await lint(["cgi-bin", "--fromat", "json"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option --fromat (did you mean --format?)");
    const badValue = await lint(["cgi-bin", "--format", "xml"]);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain(
      '--format does not accept "xml"; use stylish, json, sarif, github or gitlab',
    );
    const none = await lint([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("lint needs <path...>");
    const missing = await lint(["nowhere", "src/**/*.js"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no files match "nowhere", "src/**/*.js"');
    expect(missing.stdout).toBe("");
  });

  it("reports files it cannot read, still checks the others, and exits 2", async () => {
    addDanglingLink(join(dir, "links"), "gone");
    writeFileSync(join(dir, "links", "cgi.js"), "const q = process.env.QUERY_STRING;\n");
    const { code, stdout, stderr } = await lint(["links", "-f", "json"]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read links\/gone\.js \(ENOENT\)/);
    expect((JSON.parse(stdout) as JsonReport).files.map((f) => f.path)).toEqual(["links/cgi.js"]);
  });

  it("reports a file without read permission", async () => {
    mkdirSync(join(dir, "locked"));
    writeFileSync(join(dir, "locked", "secret.js"), "const q = process.env.QUERY_STRING;\n");
    chmodSync(join(dir, "locked", "secret.js"), 0o000);
    const { code, stderr } = await runCli(["lint", "locked"], { cwd: dir, unprivileged: true });
    expect(stderr).toContain("cannot read locked/secret.js (EACCES)");
    expect(code).toBe(2);
  });
});

describe("cgi2wsgi lint: configuration", () => {
  it("cgi2wsgi.config.json: ignore globs, rules off and warn", async () => {
    const project = join(dir, "configured");
    mkdirSync(join(project, "vendor"), { recursive: true });
    writeFileSync(
      join(project, "vendor", "old.js"),
      "module.exports = process.env.QUERY_STRING;\n",
    );
    writeFileSync(
      join(project, "script.js"),
      "const q = process.env.QUERY_STRING;\nconsole.log('Content-Type: text/plain\\n');\n",
    );
    writeFileSync(
      join(project, "cgi2wsgi.config.json"),
      JSON.stringify({
        ignore: ["vendor/"],
        rules: { "cgi-header-block": "off", "cgi-env-read": "warn" },
      }),
    );
    const { code, stdout } = await runCli(["lint", ".", "-f", "json"], { cwd: project });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.files.map((f) => [f.path, f.messages.map((m) => m.rule)])).toEqual([
      ["script.js", ["cgi-env-read"]],
    ]);
    expect(report.summary).toMatchObject({ errors: 0, warnings: 1 });
    const named = await runCli(["lint", "vendor/old.js", "-f", "json"], { cwd: project });
    expect((JSON.parse(named.stdout) as JsonReport).summary).toMatchObject({ files: 0 });
    expect(named.code).toBe(0);
  });

  it('package.json "cgi2wsgi" key, and a config error names the file and the fix', async () => {
    const project = join(dir, "pkg-config");
    mkdirSync(project);
    writeFileSync(join(project, "a.js"), "process.exit(process.env.QUERY_STRING ? 0 : 1);\n");
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "x", cgi2wsgi: { rules: { "cgi-process-exit": "off" } } }),
    );
    const ok = await runCli(["lint", "a.js", "-f", "json"], { cwd: project });
    expect((JSON.parse(ok.stdout) as JsonReport).files[0]!.messages.map((m) => m.rule)).toEqual([
      "cgi-env-read",
    ]);
    writeFileSync(
      join(project, "package.json"),
      JSON.stringify({ name: "x", cgi2wsgi: { rules: { "cgi-exit": "off" } } }),
    );
    const bad = await runCli(["lint", "a.js"], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /config .*package\.json: unknown rule "cgi-exit"; rules: cgi-env-read, /,
    );
  });
});

describe("cgi2wsgi lint --jobs", () => {
  it("gives the same report from worker threads as from one thread", async () => {
    const project = join(dir, "many");
    mkdirSync(project);
    for (let n = 0; n < 450; n++) {
      const code =
        n % 3 === 0
          ? `const q${n} = process.env.QUERY_STRING;\nconsole.log("Status: 200 OK\\n");\n`
          : `export const value${n} = ${n};\n`;
      writeFileSync(join(project, `file-${String(n).padStart(3, "0")}.mjs`), code);
    }
    const one = await runCli(["lint", ".", "-f", "json", "--jobs", "1"], { cwd: project });
    const two = await runCli(["lint", ".", "-f", "json", "--jobs", "2"], { cwd: project });
    expect(two.stderr).toBe("");
    const files = (run: { stdout: string }) => (JSON.parse(run.stdout) as JsonReport).files;
    expect(files(one)).toHaveLength(150);
    expect(files(two)).toEqual(files(one));
    expect(two.code).toBe(1);
    const bad = await runCli(["lint", ".", "--jobs", "0"], { cwd: project });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--jobs takes a whole number from 1 to 64");
  });
});

describe("cgi2wsgi lint --fix", () => {
  it("migrates the files with fixable findings and reports what is left", async () => {
    const project = join(dir, "to-fix");
    mkdirSync(project);
    writeFileSync(
      join(project, "hello.cjs"),
      'var q = process.env.QUERY_STRING || "";\nconsole.log("Content-Type: text/plain\\n");\nconsole.log("q=" + q);\n',
    );
    writeFileSync(join(project, "old.js"), "function application(start_response, environ) {}\n");
    const { code, stdout, stderr } = await runCli(["lint", ".", "--fix", "-f", "json"], {
      cwd: project,
    });
    expect(stderr).toContain("--fix migrated 1 file(s)");
    const migrated = readFileSync(join(project, "hello.cjs"), "utf8");
    expect(migrated).toContain("application(environ, start_response)");
    expect(migrated).not.toContain("process.env");
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.files.map((f) => [f.path, f.messages.map((m) => m.rule)])).toEqual([
      ["old.js", ["swapped-application-signature"]],
    ]);
    expect(code).toBe(1);
  });
});

describe("cgi2wsgi lint: help and version", () => {
  it("--help is generated from the option table; --version prints the package version", async () => {
    const help = await lint(["--help"]);
    expect(help.code).toBe(0);
    for (const option of [
      "--format NAME",
      "--output FILE",
      "--config FILE",
      "--ignore-pattern GLOB",
      "--fix",
      "--no-color",
    ]) {
      expect(help.stdout).toContain(option);
    }
    const version = await runCli(["--version"], { cwd: dir });
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(version.stdout.trim()).toBe(pkg.version);
  });
});
