import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { runCli } from "./run-cli.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const version = (
  JSON.parse(readFileSync(join(root, "packages/runtime/package.json"), "utf8")) as {
    version: string;
  }
).version;
const tsxLoader = `${root}node_modules/tsx/dist/loader.mjs`;
const bin = `${root}packages/cli/bin/cgi2wsgi.js`;

/** The files of the temporary project the migrate tests run on, with their modes. */
export const MIGRATE_TREE: Record<string, { text: string; mode: number }> = {
  "cgi-bin/hello.cjs": {
    mode: 0o755,
    text: `#!/usr/bin/env node
var q = new URLSearchParams(process.env.QUERY_STRING).get("name") || "world";
console.log("Content-Type: text/plain\\n");
console.log("hello " + q);
`,
  },
  "cgi-bin/signals.cjs": {
    mode: 0o755,
    text: `#!/usr/bin/env node
process.on("SIGTERM", () => {});
console.log("Content-Type: text/plain\\n");
console.log("hi " + process.env.QUERY_STRING);
`,
  },
  "lib/plain.js": { mode: 0o644, text: `module.exports = (a, b) => a + b;\n` },
  "data/greeting.txt": { mode: 0o600, text: "not javascript \u0000 bytes\n" },
  ".prettierrc": { mode: 0o644, text: `{ "singleQuote": true }\n` },
};

/**
 * Writes {@link MIGRATE_TREE} (plus `extra` files) into a new temporary directory; with
 * `git`, the directory is a repository with everything committed.
 *
 * @example
 * const dir = makeMigrateTree({ git: true });
 */
export function makeMigrateTree(
  options: { git?: boolean; extra?: Record<string, string> } = {},
): string {
  const dir = mkdtempSync(join(tmpdir(), "cli-migrate-"));
  chmodSync(dir, 0o755);
  const files = { ...MIGRATE_TREE };
  for (const [path, text] of Object.entries(options.extra ?? {}))
    files[path] = { text, mode: 0o644 };
  for (const [path, { text, mode }] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
    chmodSync(join(dir, path), mode);
  }
  if (options.git) {
    git(dir, "init", "-q");
    git(dir, "add", ".");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "legacy");
  }
  return dir;
}

/**
 * Runs git in `dir` and returns its stdout; throws with git's stderr when it fails.
 *
 * @example
 * git(dir, "status", "--porcelain");
 */
export function git(dir: string, ...args: string[]): string {
  const run = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tree = (options?: Parameters<typeof makeMigrateTree>[0]) => {
  const dir = makeMigrateTree(options);
  dirs.push(dir);
  return dir;
};
const migrate = (dir: string, args: string[], env?: Record<string, string>) =>
  runCli(["migrate", ...args], { cwd: dir, env });
const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
const mode = (dir: string, path: string) => statSync(join(dir, path)).mode & 0o777;

interface Report {
  files: Array<{
    path: string;
    status: string;
    diagnostics: Array<{ rule: string; message: string; line: number; column: number }>;
  }>;
}

describe("cgi2wsgi migrate: writing", () => {
  it("--out-dir mirrors the tree: scripts rewritten, every other file copied byte for byte, modes kept", async () => {
    const dir = tree();
    const { code, stdout, stderr } = await migrate(dir, [".", "--out-dir", "out", "--jobs", "1"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const out = join(dir, "out");
    // The project's .prettierrc (singleQuote) shapes the output.
    expect(read(out, "cgi-bin/hello.cjs")).toContain("exports.application = function application(");
    expect(read(out, "cgi-bin/hello.cjs")).toContain("start_response('200 OK'");
    expect(read(out, "cgi-bin/signals.cjs")).toContain("TODO(cgi2wsgi)");
    for (const path of Object.keys(MIGRATE_TREE)) {
      expect(mode(out, path), path).toBe(MIGRATE_TREE[path]!.mode);
    }
    for (const path of ["lib/plain.js", "data/greeting.txt", ".prettierrc"]) {
      expect(readFileSync(join(out, path)).equals(readFileSync(join(dir, path))), path).toBe(true);
    }
    // The input is left alone.
    expect(read(dir, "cgi-bin/hello.cjs")).toBe(MIGRATE_TREE["cgi-bin/hello.cjs"]!.text);
    expect(stdout).toMatch(/^migrated +cgi-bin\/hello\.cjs$/m);
    expect(stdout).toMatch(/^needs review cgi-bin\/signals\.cjs\n  cgi-bin\/signals\.cjs:2:1 /m);
    expect(stdout).toMatch(
      /1 migrated, 1 unchanged, 1 needs review, 0 failed \(3 files, [\d.]+ s, 1 thread\)/,
    );
  });

  it("in place in a clean git tree; running it again on its own output changes nothing", async () => {
    const dir = tree({ git: true });
    const first = await migrate(dir, ["cgi-bin", "lib"]);
    expect(first.code).toBe(0);
    expect(git(dir, "status", "--porcelain").split("\n").filter(Boolean).sort()).toEqual([
      " M cgi-bin/hello.cjs",
      " M cgi-bin/signals.cjs",
      "?? package.json",
    ]);
    // The tree had no package.json: migrated code loads the runtime, so one now lists it.
    expect(JSON.parse(read(dir, "package.json"))).toEqual({
      private: true,
      dependencies: { "@cgi2wsgi/runtime": `^${version}` },
    });
    expect(first.stdout).toMatch(/^dependency +@cgi2wsgi\/runtime@\^[\d.]+ created package\.json/m);
    expect(mode(dir, "cgi-bin/hello.cjs")).toBe(0o755);
    git(dir, "add", "package.json");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "migrated");
    const again = await migrate(dir, ["cgi-bin", "lib", "--check"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/0 to migrate, /);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  it("in place, adds the runtime to no package.json above the repository the tree is in", async () => {
    const outer = tree();
    const outerManifest = '{ "name": "someone-elses-project" }\n';
    writeFileSync(join(outer, "package.json"), outerManifest);
    const site = join(outer, "site");
    renameSync(tree({ git: true }), site);
    expect((await migrate(site, ["cgi-bin"])).code).toBe(0);
    expect(read(outer, "package.json")).toBe(outerManifest);
    expect(JSON.parse(read(site, "package.json")).dependencies).toEqual({
      "@cgi2wsgi/runtime": `^${version}`,
    });
  });

  it("refuses to rewrite files with uncommitted changes unless --allow-dirty; --out-dir needs no clean tree", async () => {
    const dir = tree({ git: true });
    writeFileSync(
      join(dir, "cgi-bin/hello.cjs"),
      MIGRATE_TREE["cgi-bin/hello.cjs"]!.text + "// edit\n",
    );
    const refused = await migrate(dir, ["cgi-bin"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("uncommitted changes in place (cgi-bin/hello.cjs)");
    expect(refused.stderr).toContain("--allow-dirty");
    expect(read(dir, "cgi-bin/signals.cjs")).toBe(MIGRATE_TREE["cgi-bin/signals.cjs"]!.text);
    expect((await migrate(dir, ["cgi-bin", "--out-dir", "out"])).code).toBe(0);
    const allowed = await migrate(dir, ["cgi-bin", "--allow-dirty"]);
    expect(allowed.code).toBe(0);
    expect(read(dir, "cgi-bin/hello.cjs")).toContain("exports.application");
  });

  it("replaces an uncommitted file atomically (a new inode) and writes a committed one where it is", async () => {
    const inode = (dir: string, path: string) => statSync(join(dir, path)).ino;
    const clean = tree({ git: true });
    const before = inode(clean, "cgi-bin/hello.cjs");
    expect((await migrate(clean, ["cgi-bin"])).code).toBe(0);
    expect(read(clean, "cgi-bin/hello.cjs")).toContain("exports.application");
    // git holds the original, so a direct write loses nothing even if it is cut short.
    expect(inode(clean, "cgi-bin/hello.cjs")).toBe(before);
    expect(mode(clean, "cgi-bin/hello.cjs")).toBe(0o755);

    const dirty = tree({ git: true });
    writeFileSync(
      join(dirty, "cgi-bin/hello.cjs"),
      MIGRATE_TREE["cgi-bin/hello.cjs"]!.text + "// edit\n",
    );
    const edited = inode(dirty, "cgi-bin/hello.cjs");
    expect((await migrate(dirty, ["cgi-bin", "--allow-dirty"])).code).toBe(0);
    expect(read(dirty, "cgi-bin/hello.cjs")).toContain("exports.application");
    expect(inode(dirty, "cgi-bin/hello.cjs")).not.toBe(edited);
    expect(mode(dirty, "cgi-bin/hello.cjs")).toBe(0o755);
  });

  it("--launchers writes an executable name.fcgi beside each rewritten module, which answers as CGI", async () => {
    const dir = tree();
    const { code, stdout } = await migrate(dir, [
      "cgi-bin/hello.cjs",
      "--out-dir",
      "out",
      "--launchers",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^launcher +out\/hello\.fcgi$/m);
    const launcher = join(dir, "out/hello.fcgi");
    expect(statSync(launcher).mode & 0o111).not.toBe(0);
    const run = spawnSync(launcher, [], {
      env: { GATEWAY_INTERFACE: "CGI/1.1", REQUEST_METHOD: "GET", QUERY_STRING: "name=Ada" },
      input: "",
    });
    expect(run.stdout.toString()).toMatch(/Content-Type: text\/plain\r\n\r\nhello Ada\n$/);
  });
  it("--launchers: a module whose launcher cannot be built is failed with esbuild's reason, and counted", async () => {
    const dir = tree({
      extra: {
        "cgi-bin/needs-helper.cjs": `const helper = require("./helper-that-is-gone");
console.log("Content-Type: text/plain\\n");
console.log(helper.greet(process.env.QUERY_STRING));
`,
      },
    });
    const { code, stdout, stderr } = await migrate(dir, [
      "cgi-bin/needs-helper.cjs",
      "--out-dir",
      "out",
      "--launchers",
      "--report",
      "report.json",
    ]);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /needs-helper\.cjs: cannot write its launcher \(.*Could not resolve "\.\/helper-that-is-gone"\)/,
    );
    expect(stdout).toMatch(/0 migrated, 0 unchanged, 0 needs review, 1 failed/);
    const report = JSON.parse(read(dir, "report.json")) as {
      files: Array<{ status: string; diagnostics: Array<{ rule: string }> }>;
    };
    expect(report.files[0]!.status).toBe("failed");
    expect(report.files[0]!.diagnostics.map((d) => d.rule)).toContain("launcher-failed");
  });
});

describe("cgi2wsgi migrate: previews and reports", () => {
  it("--dry-run prints a unified diff and writes nothing; colour only when asked", async () => {
    const dir = tree();
    const { code, stdout, stderr } = await migrate(dir, ["cgi-bin", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--- a/cgi-bin/hello.cjs\n+++ b/cgi-bin/hello.cjs\n@@ -1,4 +1,");
    expect(stdout).toContain('\n-console.log("hello " + q);\n');
    expect(stdout).not.toContain("\u001b[");
    expect(stderr).toMatch(/1 to migrate, 0 unchanged, 1 needs review, 0 failed/);
    expect(read(dir, "cgi-bin/hello.cjs")).toBe(MIGRATE_TREE["cgi-bin/hello.cjs"]!.text);
    const coloured = await migrate(dir, ["cgi-bin", "--dry-run"], { FORCE_COLOR: "1" });
    expect(coloured.stdout).toContain("\u001b[31m-console.log");
  });

  it("--check exits 1 when something would change, 0 when nothing would, and writes nothing", async () => {
    const dir = tree();
    const changed = await migrate(dir, ["cgi-bin/hello.cjs", "--check"]);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toBe("");
    expect(read(dir, "cgi-bin/hello.cjs")).toBe(MIGRATE_TREE["cgi-bin/hello.cjs"]!.text);
    const clean = await migrate(dir, ["lib", "--check"]);
    expect(clean.code).toBe(0);
  });

  it("--report writes the JSON of SPEC section 3 with relative paths", async () => {
    const dir = tree();
    const { code } = await migrate(dir, [".", "--dry-run", "--report", "reports/migrate.json"]);
    expect(code).toBe(0);
    const report = JSON.parse(read(dir, "reports/migrate.json")) as Report;
    expect(report.files.map((f) => [f.path, f.status])).toEqual([
      ["cgi-bin/hello.cjs", "migrated"],
      ["cgi-bin/signals.cjs", "needs-review"],
      ["lib/plain.js", "unchanged"],
    ]);
    expect(report.files[1]!.diagnostics[0]).toMatchObject({
      rule: "process-handler",
      line: 2,
      column: 1,
    });
    expect(Object.keys(report.files[1]!.diagnostics[0]!).sort()).toEqual([
      "column",
      "line",
      "message",
      "rule",
    ]);
  });

  it("--jobs 2 runs worker threads and writes what one thread writes", async () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      extra[`more/s${i}.cjs`] =
        `console.log("Content-Type: text/plain\\n");\nconsole.log(process.env.PATH_INFO + "${i}");\n`;
    }
    const dir = tree({ extra });
    const one = await migrate(dir, ["cgi-bin", "lib", "more", "--out-dir", "one", "--jobs", "1"]);
    const two = await migrate(dir, ["cgi-bin", "lib", "more", "--out-dir", "two", "--jobs", "2"]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stdout).toMatch(
      /7 migrated, 1 unchanged, 1 needs review, 0 failed \(9 files, [\d.]+ s, 2 threads\)/,
    );
    const diff = spawnSync("diff", ["-r", join(dir, "one"), join(dir, "two")], {
      encoding: "utf8",
    });
    expect(diff.stdout).toBe("");
    expect(diff.status).toBe(0);
  });
});

describe("cgi2wsgi migrate: on a terminal", () => {
  it("draws a progress line on a TTY, erases it, and colours the summary", async () => {
    const extra: Record<string, string> = {};
    // Enough files that the run outlasts the progress line's 300 ms delay on a fast machine.
    for (let i = 0; i < 200; i++) {
      extra[`many/s${i}.cjs`] =
        `console.log("Content-Type: text/plain\\n");\nconsole.log(process.env.PATH_INFO + "${i}");\n`;
    }
    const dir = tree({ extra });
    // script(1) runs the binary on a pseudo-terminal, as a user at a shell would.
    const command = [process.execPath, "--conditions=cgi2wsgi-source", "--import", tsxLoader, bin]
      .concat(["migrate", "many", "--out-dir", "out", "--jobs", "1"])
      .map((arg) => `'${arg}'`)
      .join(" ");
    const run = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: dir, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/\r\u001b\[2Kcgi2wsgi migrate █*░* \d+\/200/);
    // Erased before the report, which follows in colour.
    expect(run.stdout).toContain("\r\u001b[2K\u001b[32mmigrated    \u001b[39m many/s0.cjs");
    expect(run.stdout).toContain("\u001b[32m200 migrated\u001b[39m, 0 unchanged");
  });
});

describe("cgi2wsgi migrate: failures", () => {
  it("a syntax error fails that file: not written, its reason shown, the others migrated, exit 1", async () => {
    const dir = tree({
      extra: { "cgi-bin/broken.cjs": "var q = process.env.QUERY_STRING\nif (\n" },
    });
    const args = ["cgi-bin", "--allow-dirty", "--report", "report.json"];
    const { code, stdout, stderr } = await migrate(dir, args);
    expect(code).toBe(1);
    const report = JSON.parse(read(dir, "report.json")) as Report;
    expect(report.files[0]).toMatchObject({
      path: "cgi-bin/broken.cjs",
      status: "failed",
      diagnostics: [{ rule: "syntax-error", line: 3 }],
    });
    expect(stderr).toMatch(
      /^failed +cgi-bin\/broken\.cjs\n  cgi-bin\/broken\.cjs:3:\d+ .*syntax-error$/m,
    );
    expect(read(dir, "cgi-bin/broken.cjs")).toBe("var q = process.env.QUERY_STRING\nif (\n");
    expect(read(dir, "cgi-bin/hello.cjs")).toContain("exports.application");
    expect(stdout).toMatch(/1 migrated, 0 unchanged, 1 needs review, 1 failed/);
  });

  it("an unreadable file fails with the reason, exit 1", async () => {
    const dir = tree();
    chmodSync(join(dir, "cgi-bin/hello.cjs"), 0o000);
    const run = await runCli(["migrate", "cgi-bin", "--check"], { cwd: dir, unprivileged: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "cgi-bin/hello.cjs:1:1  cannot read the file (EACCES); check its permissions",
    );
  });

  it("bad arguments exit 2 with what to type instead", async () => {
    const dir = tree();
    const cases: Array<[string[], string]> = [
      [["cgi-bin", "--dryrun"], "unknown option --dryrun (did you mean --dry-run?)"],
      [["cgi-bin", "--jobs", "0"], "--jobs takes a whole number from 1 to 256"],
      [[], "migrate needs <path...>"],
      [["nowhere"], 'no files match "nowhere"'],
      [[".", "--out-dir", "cgi-bin/.."], "holds the input"],
    ];
    for (const [args, message] of cases) {
      const run = await migrate(dir, args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(existsSync(join(dir, "out"))).toBe(false);
    const help = await migrate(dir, ["--help"]);
    expect(help.stdout).toContain("--out-dir DIR");
  });
});
