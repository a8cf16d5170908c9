import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { detectCgiUsage } from "./detect.js";

// Ordinary modules a repository holds beside its CGI scripts: none of them uses CGI.
const ORDINARY: Record<string, string> = {
  "config.js": `const env = process.env;
module.exports = {
  mode: env.NODE_ENV || "development",
  port: Number(process.env.PORT || 3000),
  proxy: process.env.HTTP_PROXY || process.env.HTTPS_PROXY,
  debug: Object.keys(process.env).filter((k) => k.startsWith("DEBUG_")),
  https: process.env.HTTPS === "true",
};
if (!process.env.DATABASE_URL) { console.error("DATABASE_URL missing"); process.exit(1); }
`,
  "logger.mjs": `export function report(stats) {
  console.log("Summary: " + stats.count);
  console.log("Status: running");
  console.log("Location: warehouse " + stats.where);
  console.log();
  console.log(\`Content-Type: \${stats.type}\`);
  process.stdout.write("Errors: 0\\n\\n");
}
`,
  "server.ts": `import http from "node:http";
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain", Location: "/x" });
  res.end(req.headers["content-type"] ?? "");
});
server.listen(Number(process.env.PORT ?? 8080));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`,
  "migrated.mjs": `export function application(environ, start_response) {
  const method = environ.REQUEST_METHOD;
  const body = environ["wsgi.input"].read();
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [method + " " + environ.QUERY_STRING + " " + body.length];
}
`,
  "migrated-helper.cjs": `const { cgiProcess } = require("@cgi2wsgi/runtime");
exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console, exit }) => {
    console.log("Status: 400 Bad Request");
    console.log("Content-Type: text/plain\\n");
    exit(0);
  });
};
`,
  "cli.cjs": `#!/usr/bin/env node
const input = require("fs").readFileSync(0, "utf8");
process.stdin.on("end", () => {});
const { stdout } = process;
stdout.write("Content-Type: report\\n\\n" + input.length + "\\n");
process.exit(input ? 0 : 1);
`,
  "headers.tsx": `export const Help = () => <pre>{"Content-Type: text/html\\n\\n"}</pre>;
export const table = { REQUEST_METHOD: "GET", QUERY_STRING: "" };
export function handler(environ: Record<string, string>, startResponse: Function) {
  return [environ.HTTP_HOST, startResponse];
}
`,
};

describe("precision", () => {
  for (const [filename, code] of Object.entries(ORDINARY)) {
    it(`finds nothing in an ordinary module: ${filename}`, () => {
      expect(detectCgiUsage(code, { filename })).toEqual([]);
    });
  }
});

describe("recall on the legacy CGI corpus", () => {
  const root = fileURLToPath(new URL("../../../../test-fixtures", import.meta.url));
  const scripts = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const dir = join(root, entry.name, "cgi-bin");
      try {
        return readdirSync(dir).map((name) => join(dir, name));
      } catch {
        return [];
      }
    })
    .filter((file) => /\.[cm]?[jt]s$/.test(file));

  it("finds nothing in the migrated versions the corpus expects", () => {
    const expected = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) =>
        readdirSync(join(root, entry.name))
          .filter((name) => /\.expected\.[cm]?[jt]s$/.test(name))
          .map((name) => join(root, entry.name, name)),
      );
    expect(expected.length).toBeGreaterThan(0);
    for (const file of expected) {
      expect(detectCgiUsage(readFileSync(file, "utf8"), { filename: file }), file).toEqual([]);
    }
  });

  it("reads at least 40 legacy scripts", () => expect(scripts.length).toBeGreaterThanOrEqual(40));

  it("finds CGI usage in every fixture (script or helper), and a header block in nearly all", () => {
    const byFixture = new Map<string, string[]>();
    for (const file of scripts) {
      const fixture = file.slice(0, file.lastIndexOf("/cgi-bin/"));
      const findings = detectCgiUsage(readFileSync(file, "utf8"), { filename: file });
      expect(
        findings.filter((f) => f.rule === "syntax-error"),
        file,
      ).toEqual([]);
      byFixture.set(
        fixture,
        findings.map((f) => f.rule),
      );
    }
    // A script whose CGI usage all lives in a helper (lib/) is found through the helper.
    for (const [fixture, rules] of byFixture) {
      if (rules.length > 0) continue;
      const lib = join(fixture, "lib");
      const helpers = readdirSync(lib).map((name) => join(lib, name));
      const found = helpers.flatMap((file) =>
        detectCgiUsage(readFileSync(file, "utf8"), { filename: file }).map((f) => f.rule),
      );
      expect(found.length, fixture).toBeGreaterThan(0);
      byFixture.set(fixture, found);
    }
    const withHeaderBlock = [...byFixture.values()].filter((rules) =>
      rules.includes("cgi-header-block"),
    ).length;
    expect(withHeaderBlock / byFixture.size).toBeGreaterThan(0.9);
  });
});
