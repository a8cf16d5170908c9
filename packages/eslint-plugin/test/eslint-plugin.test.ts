import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RULES } from "@cgi2wsgi/codemod/detect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLintTree, TREE } from "../../cli/test/lint-tree.js";
import { runCli, runCommand, SOURCE_FLAGS } from "../../cli/test/run-cli.js";
import plugin from "../src/index.js";

const require = createRequire(import.meta.url);
const eslintBin = join(dirname(require.resolve("eslint/package.json")), "bin/eslint.js");
const pluginDir = fileURLToPath(new URL("..", import.meta.url));

// A CGI script named the way cgi-bin directories name them, which ESLint lints only when a
// config's `files` names it.
const LEGACY_CGI = `#!/usr/bin/env node
const method = process.env.REQUEST_METHOD;
process.stdout.write("Content-Type: text/html\\r\\n\\r\\n<p>" + method + "</p>");
`;
// The config a user writes: the recommended config, plus the .cgi files.
const CONFIG = `import cgi2wsgi from "eslint-plugin-cgi2wsgi";
export default [cgi2wsgi.configs.recommended, { files: ["**/*.cgi"] }];
`;

let dir: string;
let files: string[];
beforeAll(() => {
  dir = makeLintTree();
  writeFileSync(join(dir, "cgi-bin/legacy.cgi"), LEGACY_CGI);
  writeFileSync(join(dir, "eslint.config.mjs"), CONFIG);
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(pluginDir, join(dir, "node_modules/eslint-plugin-cgi2wsgi"));
  // The files both tools check: every source of the tree that is not ignored.
  files = [
    ...Object.keys(TREE).filter(
      (path) => /\.[cm]?js$/.test(path) && !/^(node_modules|generated)\/|\.tmp\./.test(path),
    ),
    "cgi-bin/legacy.cgi",
  ];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Position {
  rule: string;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

interface EslintResult {
  filePath: string;
  messages: Array<Omit<Position, "rule"> & { ruleId: string | null; fatal?: boolean }>;
}

async function eslint(paths: string[]): Promise<{ code: number | null; results: EslintResult[] }> {
  const run = await runCommand(
    process.execPath,
    [...SOURCE_FLAGS, eslintBin, "--format", "json", "--", ...paths],
    { cwd: dir },
  );
  expect(run.stderr).toBe("");
  return { code: run.code, results: JSON.parse(run.stdout) as EslintResult[] };
}

describe("eslint-plugin-cgi2wsgi under ESLint", () => {
  it("reports what `cgi2wsgi lint --format json` reports: rules, messages, positions", async () => {
    const [lint, linted] = await Promise.all([
      runCli(["lint", "--format", "json", ...files], { cwd: dir }),
      eslint(files),
    ]);
    expect(lint.code).toBe(1);
    expect(linted.code).toBe(1);
    const lintFiles = JSON.parse(lint.stdout).files as Array<{ path: string; messages: any[] }>;
    const expected: Record<string, Position[]> = {};
    for (const file of lintFiles) {
      if (file.path === "lib/broken.js") continue;
      expected[file.path] = file.messages.map(
        ({ rule, message, line, column, endLine, endColumn }) =>
          ({ rule, message, line, column, endLine, endColumn }) as Position,
      );
    }
    const actual: Record<string, Position[]> = {};
    for (const result of linted.results) {
      const path = relative(dir, result.filePath);
      if (path === "lib/broken.js" || result.messages.length === 0) continue;
      actual[path] = result.messages.map(
        ({ ruleId, message, line, column, endLine, endColumn }) => ({
          rule: ruleId!.replace(/^cgi2wsgi\//, ""),
          message,
          line,
          column,
          endLine,
          endColumn,
        }),
      );
    }
    expect(Object.keys(expected).sort()).toEqual([
      "cgi-bin/form.mjs",
      "cgi-bin/hello.cjs",
      "cgi-bin/legacy.cgi",
      "lib/old-app.js",
      "pages/my page.js",
    ]);
    expect(actual).toEqual(expected);
    // Both honour the ignore comment and leave non-CGI environment reads alone.
    for (const quiet of ["cgi-bin/silenced.js", "lib/config.js", "clean/ok.js"]) {
      const result = linted.results.find((r) => relative(dir, r.filePath) === quiet);
      expect(result?.messages, quiet).toEqual([]);
    }
    // A file neither parser reads fails at the same line in both; ESLint's own parser fails
    // first, so the plugin's syntax-error rule (for files only Babel cannot read) is not run.
    const [unparsed] = lintFiles.find((file) => file.path === "lib/broken.js")!.messages;
    expect(unparsed).toMatchObject({ rule: "syntax-error", line: 3 });
    const broken = linted.results.find((r) => relative(dir, r.filePath) === "lib/broken.js")!;
    expect(broken.messages).toEqual([
      expect.objectContaining({ ruleId: null, fatal: true, line: unparsed.line }),
    ]);
  });

  it("passes clean files, and files where ESLint's own directive silences a rule", async () => {
    writeFileSync(
      join(dir, "lib/disabled.js"),
      "// eslint-disable-next-line cgi2wsgi/cgi-env-read\nconst q = process.env.QUERY_STRING;\n",
    );
    const { code, results } = await eslint(["clean/ok.js", "lib/config.js", "lib/disabled.js"]);
    expect(results.flatMap((result) => result.messages)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe("eslint-plugin-cgi2wsgi: the plugin object", () => {
  it("has one rule per detector rule, documented, and recommended turns each on", () => {
    expect(Object.keys(plugin.rules!)).toEqual(RULES.map((rule) => rule.id));
    for (const info of RULES) {
      const meta = plugin.rules![info.id]!.meta!;
      expect(meta.docs).toEqual({
        description: info.summary,
        recommended: true,
        url: `https://github.com/cgi2wsgi/cgi2wsgi/blob/main/docs/ci.md#${info.id}`,
        fixableByMigrate: info.fixable,
      });
      expect(meta.fixable).toBeUndefined();
      expect(plugin.configs.recommended.rules![`cgi2wsgi/${info.id}`]).toBe("error");
    }
    expect(plugin.meta).toEqual({
      name: "eslint-plugin-cgi2wsgi",
      version: "0.1.0",
      namespace: "cgi2wsgi",
    });
    expect(plugin.configs.recommended.plugins!.cgi2wsgi).toBe(plugin);
  });

  it("every rule's docs URL has its section in docs/ci.md", () => {
    const docs = readFileSync(new URL("../../../docs/ci.md", import.meta.url), "utf8");
    for (const info of RULES) expect(docs).toContain(`\n### ${info.id}\n`);
  });
});
