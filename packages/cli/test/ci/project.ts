import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { makeLintTree } from "../lint-tree.js";
import { CLI_ARGV } from "../run-cli.js";

/** The repository root, where action.yml, .pre-commit-hooks.yaml and ci/ live. */
export const REPO_ROOT = fileURLToPath(new URL("../../../..", import.meta.url));

const cliPackage = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Installs the workspace CLI into the project `dir` where `npm i -D cgi2wsgi` puts it
 * (node_modules/cgi2wsgi, and node_modules/.bin/cgi2wsgi as a shell shim, like pnpm's, that
 * runs the TypeScript sources), so `npx cgi2wsgi` finds it there; returns the environment
 * that keeps npm off the network, so nothing can come from the registry instead.
 *
 * @example
 * const env = installWorkspaceCli(dir);
 * await runCommand("npx", ["cgi2wsgi", "lint", "."], { cwd: dir, env });
 */
export function installWorkspaceCli(dir: string): Record<string, string> {
  mkdirSync(join(dir, "node_modules/.bin"), { recursive: true });
  symlinkSync(cliPackage, join(dir, "node_modules/cgi2wsgi"));
  const command = [process.execPath, ...CLI_ARGV].map((word) => `'${word}'`);
  const shim = join(dir, "node_modules/.bin/cgi2wsgi");
  writeFileSync(shim, `#!/bin/sh\nexec ${command.join(" ")} "$@"\n`, { mode: 0o755 });
  return { npm_config_offline: "true" };
}

/**
 * The lint tests' project (lint-tree.ts) with the workspace CLI installed, made before the
 * file's tests and removed after them; `dir` and `env` are set once `beforeAll` has run.
 *
 * @example
 * const project = lintProject();
 * it("lints", () => runCommand("npx", ["cgi2wsgi", "lint", "."], { cwd: project.dir, env: project.env }));
 */
export function lintProject(): { dir: string; env: Record<string, string> } {
  const project = { dir: "", env: {} as Record<string, string> };
  beforeAll(() => {
    project.dir = makeLintTree();
    project.env = installWorkspaceCli(project.dir);
  });
  afterAll(() => rmSync(project.dir, { recursive: true, force: true }));
  return project;
}
