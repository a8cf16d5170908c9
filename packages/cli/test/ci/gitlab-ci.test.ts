import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { runCommand } from "../run-cli.js";
import { lintProject, REPO_ROOT } from "./project.js";

interface Job {
  script: string[];
  artifacts: { when: string; reports: { codequality: string } };
}

const file = join(REPO_ROOT, "ci/gitlab-ci.yml");
const job = (parse(readFileSync(file, "utf8")) as Record<string, Job>)["cgi2wsgi-lint"]!;

const project = lintProject();

// The job's script lines run as one POSIX shell script that stops at the first failing
// line, as the runner runs them.
const runScript = (variables: Record<string, string>) =>
  runCommand("sh", ["-e", "-c", job.script.join("\n")], {
    cwd: project.dir,
    env: { ...project.env, ...variables },
  });

interface CodeQualityIssue {
  type: string;
  check_name: string;
  description: string;
  severity: string;
  fingerprint: string;
  location: { path: string; lines: { begin: number } };
}

describe("ci/gitlab-ci.yml, its script run as the runner runs it", () => {
  it("writes the Code Quality report it declares, one issue per finding, and fails", async () => {
    expect(job.artifacts).toEqual({
      when: "always",
      reports: { codequality: "gl-code-quality-report.json" },
    });
    const { code } = await runScript({ CGI2WSGI_PATHS: "cgi-bin lib/*.js" });
    expect(code).toBe(1);
    const issues = JSON.parse(
      readFileSync(join(project.dir, job.artifacts.reports.codequality), "utf8"),
    ) as CodeQualityIssue[];
    expect(
      issues.map((i) => `${i.location.path}:${i.location.lines.begin} ${i.check_name}`),
    ).toEqual([
      "cgi-bin/form.mjs:2 cgi-env-read",
      "cgi-bin/form.mjs:2 cgi-stdin-body",
      "cgi-bin/form.mjs:4 cgi-header-block",
      "cgi-bin/form.mjs:5 cgi-process-exit",
      "cgi-bin/hello.cjs:2 cgi-env-read",
      "cgi-bin/hello.cjs:3 cgi-header-block",
      "lib/broken.js:3 syntax-error",
      "lib/old-app.js:1 swapped-application-signature",
    ]);
    for (const issue of issues) {
      expect(issue).toMatchObject({ type: "issue", severity: "major" });
      expect(issue.description).not.toBe("");
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(issues.map((issue) => issue.fingerprint)).size).toBe(issues.length);
  });

  it("passes on a clean tree, and defaults to the whole checkout", async () => {
    expect((await runScript({ CGI2WSGI_PATHS: "clean" })).code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(project.dir, "gl-code-quality-report.json"), "utf8")),
    ).toEqual([]);
    const whole = await runScript({});
    expect(whole.code).toBe(1);
    const paths = (
      JSON.parse(
        readFileSync(join(project.dir, "gl-code-quality-report.json"), "utf8"),
      ) as CodeQualityIssue[]
    ).map((issue) => issue.location.path);
    expect(paths).toContain("pages/my page.js");
  });
});
