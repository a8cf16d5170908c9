import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { migrateSource } from "./migrate-source.js";

const fixtures = join(import.meta.dirname, "..", "__testfixtures__");
const inputs = readdirSync(fixtures).filter((name) => name.includes(".input."));

describe("migrateSource on __testfixtures__ pairs", () => {
  for (const input of inputs) {
    const output = input.replace(".input.", ".output.");
    const hasOutput = readdirSync(fixtures).includes(output);

    it(`${input} gives ${hasOutput ? output : "itself"} and is idempotent`, async () => {
      const filename = join(fixtures, input);
      const code = readFileSync(filename, "utf8");
      // The fixtures are formatted with the repository's own prettier options.
      const prettierConfig = (await resolveConfig(filename)) ?? undefined;
      const result = await migrateSource(code, { filename, prettierConfig });
      if (!hasOutput) {
        expect(result.status).toBe("unchanged");
        expect(result.code).toBe(code);
        return;
      }
      expect(result.code).toBe(readFileSync(join(fixtures, output), "utf8"));
      const again = await migrateSource(result.code, {
        filename: join(fixtures, output),
        prettierConfig,
      });
      expect(again.code).toBe(result.code);
      if (result.status === "needs-review") {
        expect(result.diagnostics.length).toBeGreaterThan(0);
        const marks = result.code.split("TODO(cgi2wsgi):").length - 1;
        expect(marks).toBe(new Set(result.diagnostics.map((d) => d.message)).size);
      } else {
        expect(result).toMatchObject({ status: "migrated", diagnostics: [] });
        expect(again.status).toBe("unchanged");
      }
    });
  }
});

describe("migrateSource statuses", () => {
  it("reports a syntax error as failed, with its position, and returns the input", async () => {
    const code = "console.log('Content-Type: text/plain\\n');\nif (\n";
    const result = await migrateSource(code, { filename: "broken.cjs" });
    expect(result.status).toBe("failed");
    expect(result.code).toBe(code);
    expect(result.diagnostics[0]).toMatchObject({ rule: "syntax-error", line: 3 });
    expect(result.diagnostics[0]!.message).toMatch(/fix the syntax error/);
  });

  it("refuses a script that declares a name the application needs", async () => {
    const code = "var environ = process.env;\nconsole.log('Content-Type: text/plain\\n');\n";
    const result = await migrateSource(code, { filename: "clash.cjs" });
    expect(result.status).toBe("failed");
    expect(result.diagnostics[0]!.rule).toBe("name-clash");
  });

  it("leaves a file without CGI usage byte-identical", async () => {
    const code = "#!/usr/bin/env node\n// just math\nconst x  =  1+1\n";
    expect(await migrateSource(code, { filename: "math.mjs" })).toEqual({
      code,
      status: "unchanged",
      diagnostics: [],
    });
  });

  it("respects the project's prettier options", async () => {
    const code =
      "process.stdout.write('Content-Type: text/plain\\n\\n');\nprocess.stdout.write('hi');\n";
    const result = await migrateSource(code, {
      filename: "hi.cjs",
      prettierConfig: { singleQuote: true, semi: false },
    });
    expect(result.code).toContain("start_response('200 OK', [['Content-Type', 'text/plain']])\n");
  });

  it("keeps state on the global object per request, and flags bare reads of it", async () => {
    const code =
      "global.hits = (global.hits || 0) + 1;\nsetTimeout(() => {\n  console.log('Content-Type: text/plain\\n');\n  console.log(hits, globalThis.hits);\n}, 1);\n";
    const result = await migrateSource(code, { filename: "hits.cjs" });
    expect(result.code).toContain("const scriptGlobal = Object.create(globalThis);");
    expect(result.code).toContain("scriptGlobal.hits = (scriptGlobal.hits || 0) + 1;");
    expect(result.status).toBe("needs-review");
    expect(result.diagnostics.map((d) => [d.rule, d.line])).toEqual([["global-state", 4]]);
  });

  it("keeps a TODO on a statement that becomes part of the returned body", async () => {
    const code =
      "console.log('Content-Type: text/plain\\n');\nconsole.log(process.env.APP_STAGE);\n";
    const result = await migrateSource(code, { filename: "stage.cjs" });
    expect(result.code).toContain("start_response(");
    expect(result.code).toContain("TODO(cgi2wsgi): APP_STAGE is not a CGI meta-variable");
    expect(result.status).toBe("needs-review");
  });

  it("gives child processes the request's environment", async () => {
    const code = [
      "const { execFileSync, spawnSync } = require('child_process');",
      "const a = execFileSync('env', ['-0'],);",
      "const b = spawnSync('env', { encoding: 'utf8' });",
      "process.stdout.write('Content-Type: text/plain\\n\\n' + a + b.stdout);",
    ].join("\n");
    const result = await migrateSource(code, { filename: "env.cjs" });
    const compact = result.code.replace(/\s+/g, "").replace(/,([}\])])/g, "$1");
    expect(compact).toContain(
      'execFileSync("env",["-0"],{env:{...process.env,...cgiEnv(environ)}});',
    );
    expect(compact).toContain(
      'spawnSync("env",{env:{...process.env,...cgiEnv(environ)},encoding:"utf8"});',
    );
    expect(result.diagnostics.map((d) => d.rule)).toEqual(["child-process"]);
  });

  it("chooses other names when the script uses the helper's", async () => {
    const code =
      "var stdout = [];\nprocess.stdout.write('Content-Type: text/plain\\n\\n');\nsetTimeout(() => process.stdout.write(stdout.join()), 1);\n";
    const result = await migrateSource(code, { filename: "names.cjs" });
    expect(result.code).toContain("({ stdout: cgiStdout }) =>");
    expect(result.code).toContain("cgiStdout.write(stdout.join())");
  });

  it("collects the body of a synchronous script only where no output can come first", async () => {
    const head = "console.log('Content-Type: text/plain\\n');\n";
    const loop = "for (const x of [1, 2]) console.log(x);\n";
    const plain = await migrateSource(head + loop, { filename: "loop.cjs" });
    expect(plain.code).toContain("chunks.push(format(x) + ");
    expect(plain.code).not.toContain("cgiProcess");
    // A function declaration is hoisted: it could print before the header block.
    const hoisted = `${head}row(1);\nfunction row(x) { console.log(x); }\n`;
    expect((await migrateSource(hoisted, { filename: "row.cjs" })).code).toContain("cgiProcess(");
    // Output in a timer is printed after the application would have returned.
    const later = `${head}setTimeout(() => console.log(1), 1);\n`;
    expect((await migrateSource(later, { filename: "later.cjs" })).code).toContain("cgiProcess(");
    // Printing before the header block is the script's own output order: left to cgiProcess.
    const early = `[0].forEach((x) => console.log(x));\n${head}`;
    expect((await migrateSource(early, { filename: "early.cjs" })).code).toContain("cgiProcess(");
    // A user's own `chunks` is left alone.
    const taken = await migrateSource(`const chunks = 1;\n${head}${loop}`, { filename: "t.cjs" });
    expect(taken.code).toContain("bodyChunks.push(");
  });

  it("turns stdin 'data' and 'end' listeners into calls after the top-level code, only alone", async () => {
    const head = "console.log('Content-Type: text/plain\\n');";
    const listen = (more: string) =>
      `let b = '';\nprocess.stdin.on('data', (c) => { b += c; });\n${more}` +
      `process.stdin.on('end', () => {\n${head}\nconsole.log(b);\n});\n`;
    const plain = await migrateSource(listen(""), { filename: "form.cjs" });
    expect(plain.code).toContain("onData(input);");
    expect(plain.code).toMatch(/\n\s*onEnd\(\);\n/);
    expect(plain.code).not.toContain("cgiProcess");
    // Any other use of stdin keeps the stream, and so cgiProcess.
    for (const more of ["process.stdin.pipe(process.stderr);\n", "const { stdin } = process;\n"]) {
      const kept = await migrateSource(listen(more), { filename: "kept.cjs" });
      expect(kept.code).toContain("cgiProcess(");
    }
    // Without a 'data' listener the stream never flows: 'end' never comes.
    const noData = `process.stdin.on('end', () => {\n${head}\n});\n`;
    expect((await migrateSource(noData, { filename: "nodata.cjs" })).code).toContain("cgiProcess(");
  });
});
