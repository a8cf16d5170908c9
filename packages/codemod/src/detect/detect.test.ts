import { describe, expect, it } from "vitest";
import { detectCgiUsage, mayContainCgiUsage } from "./detect.js";

const rules = (code: string, filename = "script.cjs") =>
  detectCgiUsage(code, { filename }).map((finding) => `${finding.rule}@${finding.line}`);

describe("detectCgiUsage: process.env", () => {
  it("reports meta-variables read directly, by string key, with `in` and through aliases", () => {
    const code = [
      "const q = process.env.QUERY_STRING;",
      "const m = process.env['REQUEST_METHOD'];",
      "const env = process.env;",
      "const c = env.HTTP_COOKIE;",
      "const has = 'CONTENT_TYPE' in env;",
      "const p = globalThis.process.env.PATH_INFO;",
    ].join("\n");
    expect(rules(code)).toEqual([
      "cgi-env-read@1",
      "cgi-env-read@2",
      "cgi-env-read@4",
      "cgi-env-read@5",
      "cgi-env-read@6",
    ]);
  });

  it("reports destructuring with renames and defaults, and process's own destructuring", () => {
    const code = [
      "const { QUERY_STRING: qs = '', NODE_ENV } = process.env;",
      "const { env: { HTTP_HOST } } = process;",
      "const { env } = process;",
      "console.log(env.SCRIPT_NAME);",
    ].join("\n");
    expect(rules(code)).toEqual(["cgi-env-read@1", "cgi-env-read@2", "cgi-env-read@4"]);
  });

  it("reports env imported from node:process in an ES module", () => {
    const code = 'import { env } from "node:process";\nexport const ip = env.REMOTE_ADDR;\n';
    expect(rules(code, "a.mjs")).toEqual(["cgi-env-read@2"]);
  });

  it("reports whole-env and computed reads only in a file that otherwise uses CGI", () => {
    const plain = "const copy = { ...process.env };\nconst keys = Object.keys(process.env);\n";
    expect(rules(plain + "const q = process.env.HTTP_X;\n")).toEqual([
      "cgi-env-read@1",
      "cgi-env-read@2",
      "cgi-env-read@3",
    ]);
    expect(rules(plain + "// QUERY_STRING is mentioned in a comment only\n")).toEqual([]);
  });

  it("ignores writes, NODE_ENV, PORT and HTTP_PROXY", () => {
    const code = [
      "process.env.REQUEST_METHOD = 'GET';",
      "const mode = process.env.NODE_ENV;",
      "const port = process.env.PORT;",
      "const proxy = process.env.HTTP_PROXY;",
    ].join("\n");
    expect(rules(code)).toEqual([]);
  });
});

describe("detectCgiUsage: stdin, exit, header blocks, signature", () => {
  it("reports every way of reading the body in a CGI script", () => {
    const code = [
      "const fs = require('fs');",
      "if (process.env.REQUEST_METHOD === 'POST') {",
      "  const a = fs.readFileSync(0, 'utf8');",
      "  const b = require('fs').readFileSync('/dev/stdin');",
      "  const c = fs.readFileSync(process.stdin.fd);",
      "  process.stdin.on('data', () => {});",
      "  require('readline').createInterface({ input: process.stdin });",
      "}",
      "async function all() { for await (const chunk of process.stdin) void chunk; }",
      "if (!process.stdin.isTTY) all();",
    ].join("\n");
    expect(rules(code)).toEqual([
      "cgi-env-read@2",
      "cgi-stdin-body@3",
      "cgi-stdin-body@4",
      "cgi-stdin-body@5",
      "cgi-stdin-body@6",
      "cgi-stdin-body@7",
      "cgi-stdin-body@9",
    ]);
  });

  it("reports exit taken from process by destructuring or import", () => {
    const code = [
      "const { env, exit } = process;",
      "if (env.QUERY_STRING === 'stop') exit(0);",
    ].join("\n");
    expect(rules(code)).toEqual(["cgi-env-read@2", "cgi-process-exit@2"]);
  });

  it("does not report stdin or process.exit in a command-line tool", () => {
    const code =
      "const input = require('fs').readFileSync(0, 'utf8');\nprocess.exit(input ? 0 : 1);\n";
    expect(rules(code)).toEqual([]);
  });

  it("reports header blocks printed in one call, per line, or through a stdout alias", () => {
    const code = [
      "console.log('Content-Type: text/plain\\n');",
      "function redirect(to) {",
      "  console.log('Status: 302 Found');",
      "  console.log(`Location: ${to}`);",
      "  console.log();",
      "  process.exit(0);",
      "}",
      "const out = process.stdout;",
      "function nph() { out.write('HTTP/1.0 200 OK\\r\\n' + 'Content-Type: text/html\\r\\n\\r\\n'); }",
    ].join("\n");
    expect(rules(code)).toEqual([
      "cgi-header-block@1",
      "cgi-header-block@3",
      "cgi-process-exit@6",
      "cgi-header-block@9",
    ]);
  });

  it("follows a variable that holds the header text", () => {
    const code =
      "var out = 'Status: ' + s + '\\r\\n';\nprocess.stdout.write(out + '\\r\\n' + body);\n";
    expect(rules(code)).toEqual(["cgi-header-block@2"]);
  });

  it("reports the swapped signature as not fixable", () => {
    const code = "exports.application = function (start_response, environ) { return []; };\n";
    const [finding] = detectCgiUsage(code, { filename: "old.js" });
    expect(finding).toMatchObject({
      rule: "swapped-application-signature",
      line: 1,
      column: 23,
      fixable: false,
    });
  });

  it("gives 1-based columns and end positions", () => {
    const [finding] = detectCgiUsage("let q = process.env.QUERY_STRING;\n", { filename: "a.js" });
    expect(finding).toEqual({
      rule: "cgi-env-read",
      message: "reads the CGI meta-variable QUERY_STRING from process.env",
      line: 1,
      column: 9,
      endLine: 1,
      endColumn: 33,
      fixable: true,
    });
  });
});

describe("detectCgiUsage: parsing and silencing", () => {
  it("parses TypeScript, TSX, JSX, shebangs and top-level return", () => {
    const ts = "const q: string = process.env.QUERY_STRING as string;\n";
    expect(rules(ts, "a.ts")).toEqual(["cgi-env-read@1"]);
    const tsx = "const el = <b>{process.env.HTTP_HOST}</b>;\nconst f = <T,>(x: T) => x;\n";
    expect(rules(tsx, "a.tsx")).toEqual(["cgi-env-read@1"]);
    const jsx = "#!/usr/bin/env node\nif (!process.env.QUERY_STRING) return;\nh(<i />);\n";
    expect(rules(jsx, "a.js")).toEqual(["cgi-env-read@2"]);
  });

  it("honours cgi2wsgi-ignore-next-line, for all rules or the listed ones", () => {
    const code = [
      "// cgi2wsgi-ignore-next-line",
      "const a = process.env.QUERY_STRING;",
      "// cgi2wsgi-ignore-next-line cgi-stdin-body -- read elsewhere",
      "const b = process.env.HTTP_HOST;",
      "/* cgi2wsgi-ignore-next-line cgi-env-read */",
      "const c = process.env.HTTP_ACCEPT;",
      "// cgi2wsgi-ignore-next-lines is not the directive",
      "const d = process.env.REMOTE_ADDR;",
    ].join("\n");
    expect(rules(code)).toEqual(["cgi-env-read@4", "cgi-env-read@8"]);
  });

  it("turns a syntax error into one syntax-error finding at its position", () => {
    const findings = detectCgiUsage("const q = process.env.QUERY_STRING\nif (\n", {
      filename: "bad.js",
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: "syntax-error", line: 3, fixable: false });
  });

  it("skips files without CGI words before parsing", () => {
    expect(mayContainCgiUsage("module.exports = () => process.env.NODE_ENV;")).toBe(false);
    expect(mayContainCgiUsage("if (\n")).toBe(false);
    expect(mayContainCgiUsage("x = process.env.QUERY_STRING")).toBe(true);
    expect(mayContainCgiUsage('console.log("CONTENT-TYPE: text/html")')).toBe(true);
    expect(mayContainCgiUsage("function app(startResponse: F, environ: E) {}")).toBe(true);
    // An application already migrated: environ, start_response, but no process or console.
    const migrated = `export function application(environ, start_response) {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [environ.QUERY_STRING];
}`;
    expect(mayContainCgiUsage(migrated)).toBe(false);
    expect(mayContainCgiUsage('fetch("https://example.com/status")')).toBe(false);
  });
});
