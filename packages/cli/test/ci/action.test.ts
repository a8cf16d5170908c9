import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sarifSchemaErrors } from "../sarif-schema.js";
import { lintProject, REPO_ROOT } from "./project.js";
import { runAction, type StepOutcome } from "./run-action.js";

const ACTION = join(REPO_ROOT, "action.yml");

const project = lintProject();

const kinds = (outcomes: StepOutcome[]) => outcomes.map((o) => `${o.kind}: ${o.step}`);

describe("action.yml, its steps run as the runner runs them", () => {
  it("findings: writes valid SARIF, uploads it to code scanning, then fails", async () => {
    // Globs reach cgi2wsgi unexpanded; new lines separate paths like spaces do.
    const inputs = { paths: "cgi-bin\nlib/*.js", "sarif-file": "out/lint.sarif" };
    const { outcomes, failed, outputs } = await runAction(ACTION, inputs, {
      cwd: project.dir,
      env: project.env,
    });
    expect(kinds(outcomes)).toEqual([
      "run: Look for Node.js 20.19 or newer",
      "skipped: Set up Node.js",
      "run: cgi2wsgi lint",
      "uses: Upload to code scanning",
      "run: Fail on findings",
    ]);
    expect(failed).toBe(true);
    expect(outputs.lint).toEqual({ "sarif-file": "out/lint.sarif", "exit-code": "1" });
    const upload = outcomes[3] as Extract<StepOutcome, { kind: "uses" }>;
    expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    expect(upload.with).toEqual({ sarif_file: "out/lint.sarif", category: "cgi2wsgi" });

    const sarif = JSON.parse(readFileSync(join(project.dir, "out/lint.sarif"), "utf8"));
    expect(sarifSchemaErrors(sarif)).toBe("");
    const uris = new Set(
      sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri),
    );
    expect([...uris].sort()).toEqual([
      "cgi-bin/form.mjs",
      "cgi-bin/hello.cjs",
      "lib/broken.js",
      "lib/old-app.js",
    ]);
    const last = outcomes[4] as Extract<StepOutcome, { kind: "run" }>;
    expect(last.code).toBe(1);
    expect(last.stdout).toContain("::error::cgi2wsgi lint found CGI usage");
  });

  it("fail-on-findings false: the same upload, and the action passes", async () => {
    const inputs = { paths: "cgi-bin", "fail-on-findings": "false", version: "0.1.0" };
    const { outcomes, failed, outputs } = await runAction(ACTION, inputs, {
      cwd: project.dir,
      env: project.env,
    });
    expect(failed).toBe(false);
    expect(outputs.lint!["exit-code"]).toBe("1");
    expect(kinds(outcomes).slice(3)).toEqual([
      "uses: Upload to code scanning",
      "skipped: Fail on findings",
    ]);
    expect(existsSync(join(project.dir, "cgi2wsgi.sarif"))).toBe(true);
  });

  it("a clean tree passes and still uploads (an empty report closes old alerts)", async () => {
    const inputs = { paths: "clean", "sarif-file": "clean.sarif" };
    const { outcomes, failed, outputs } = await runAction(ACTION, inputs, {
      cwd: project.dir,
      env: project.env,
    });
    expect(failed).toBe(false);
    expect(outputs.lint).toEqual({ "sarif-file": "clean.sarif", "exit-code": "0" });
    const sarif = JSON.parse(readFileSync(join(project.dir, "clean.sarif"), "utf8"));
    expect(sarifSchemaErrors(sarif)).toBe("");
    expect(sarif.runs[0].results).toEqual([]);
    expect(kinds(outcomes).slice(3)).toEqual([
      "uses: Upload to code scanning",
      "skipped: Fail on findings",
    ]);
  });

  it("a path that matches nothing fails the lint step with cgi2wsgi's message, nothing uploaded", async () => {
    writeFileSync(join(project.dir, "stale.sarif"), "{}");
    const inputs = { paths: "cgi-bni", "sarif-file": "stale.sarif" };
    const { outcomes, failed } = await runAction(ACTION, inputs, {
      cwd: project.dir,
      env: project.env,
    });
    expect(failed).toBe(true);
    const lint = outcomes[2] as Extract<StepOutcome, { kind: "run" }>;
    expect(lint.code).toBe(2);
    expect(lint.stderr).toContain('no files match "cgi-bni"');
    // The stale report of an earlier run is not uploaded as if it were this one's.
    expect(existsSync(join(project.dir, "stale.sarif"))).toBe(false);
    expect(kinds(outcomes).slice(3)).toEqual([
      "skipped: Upload to code scanning",
      "skipped: Fail on findings",
    ]);
  });

  it("upload false: writes the report only", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "action-"));
    try {
      const inputs = { paths: "clean", upload: "false", "sarif-file": join(scratch, "a.sarif") };
      const { outcomes } = await runAction(ACTION, inputs, { cwd: project.dir, env: project.env });
      expect(outcomes[3]).toEqual({ step: "Upload to code scanning", kind: "skipped" });
      expect(existsSync(join(scratch, "a.sarif"))).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
