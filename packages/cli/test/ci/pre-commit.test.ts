import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../run-cli.js";
import { installWorkspaceCli, REPO_ROOT } from "./project.js";

// The hook runs under the real pre-commit (Debian's package, installed by .ci/run), against
// a repository that holds this checkout's .pre-commit-hooks.yaml.
const FILES: Record<string, string> = {
  "cgi-bin/hello.cjs": `var name = process.env.QUERY_STRING;\nconsole.log("Content-Type: text/plain\\n");\n`,
  "cgi-bin/legacy.cgi": `#!/usr/bin/env node\nconst method = process.env.REQUEST_METHOD;\n`,
  "lib/config.js": `module.exports = { port: process.env.PORT };\n`,
  "src/typed.ts": `const agent: string | undefined = process.env.HTTP_USER_AGENT;\n`,
  "README.md": "Read `process.env.QUERY_STRING` and print `Content-Type: text/html`.\n",
};

let scratch: string;
let hooks: string;
let project: string;
let env: Record<string, string>;
const git = (cwd: string, ...args: string[]) =>
  runCommand("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "pre-commit-"));
  hooks = join(scratch, "hooks");
  project = join(scratch, "project");
  mkdirSync(hooks);
  writeFileSync(
    join(hooks, ".pre-commit-hooks.yaml"),
    readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml")),
  );
  await git(hooks, "init", "-q");
  await git(hooks, "add", ".");
  await git(hooks, "commit", "-qm", "hooks");
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  chmodSync(join(project, "cgi-bin/legacy.cgi"), 0o755);
  await git(project, "init", "-q");
  await git(project, "add", ".");
  env = { ...installWorkspaceCli(project), PRE_COMMIT_HOME: join(scratch, "cache") };
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const preCommit = (...args: string[]) =>
  runCommand("pre-commit", ["try-repo", hooks, "cgi2wsgi-lint", ...args], { cwd: project, env });

describe(".pre-commit-hooks.yaml under pre-commit", () => {
  it("runs cgi2wsgi lint on the sources it selects, fails on findings", async () => {
    const { code, stdout } = await preCommit("--all-files", "--verbose");
    expect(code, stdout).toBe(1);
    expect(stdout).toMatch(/cgi2wsgi lint\.+Failed/);
    expect(stdout).toContain("cgi-bin/hello.cjs\n  1:12  error  reads the CGI meta-variable");
    // The executable .cgi script is selected by its shebang, the .ts file by its extension.
    expect(stdout).toContain("cgi-bin/legacy.cgi\n  2:16  error");
    expect(stdout).toContain("src/typed.ts\n  1:35  error");
    // Markdown is never handed to lint (it would be parsed as JavaScript).
    expect(stdout).not.toContain("README.md");
    expect(stdout).toMatch(/✖ 4 problems .* in 3 of 4 files/);
  });

  it("passes files without CGI usage", async () => {
    const { code, stdout } = await preCommit("--files", "lib/config.js", "README.md");
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/cgi2wsgi lint\.+Passed/);
  });

  it("pins the CLI version this repository releases", () => {
    const [hook] = parse(readFileSync(join(REPO_ROOT, ".pre-commit-hooks.yaml"), "utf8"));
    const { version } = JSON.parse(
      readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8"),
    );
    expect(hook.entry).toBe(`npx --yes cgi2wsgi@${version} lint`);
  });
});
