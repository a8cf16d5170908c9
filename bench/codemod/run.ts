/**
 * Codemod speed: `migrateSource` over 1,000 generated legacy CGI scripts (formatting with
 * prettier included, files read and written, in one Node process as the CLI runs it), and
 * the `cgi2wsgi migrate` command itself on the same files in a clean git repository, against
 * jscodeshift running a bare `process.env` rename on copies of the same files, in the same
 * run, alternated, single-threaded and on two threads. jscodeshift is installed with npm
 * into bench/.work at bench time. Our side is the packages as a user installs them: the
 * packed tarballs npm-installed into bench/.work (bench/installed.ts), run with plain node;
 * only this bench's own driver (migrate-tree.ts) is compiled, and it imports the installed
 * @cgi2wsgi/codemod.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/codemod/run.ts [runs] [files]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../bundle.js";
import { installPackages } from "../installed.js";
import { generateTree } from "../lint/generate.js";

const runs = Number(process.argv[2] ?? 3);
const files = Number(process.argv[3] ?? 1000);
const root = fileURLToPath(new URL("../..", import.meta.url));
const work = join(root, "bench", ".work");
const tree = join(work, "codemod-tree");
const copy = join(work, "codemod-copy");
const tools = join(work, "codemod-tools");
const here = join(root, "bench", "codemod");

if (!existsSync(join(tools, "node_modules", ".bin", "jscodeshift"))) {
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(tools, "package.json"), '{ "private": true }\n');
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "jscodeshift@^17"], { cwd: tools });
}
generateTree(tree, { total: files, cgi: files });

const installed = installPackages(join(work, "codemod-installed"));
// The driver sits in the installed project, so its import of @cgi2wsgi/codemod is the
// installed package's dist/.
const bundle = join(installed.dir, "migrate-tree.mjs");
await bundleForNode({
  entryPoints: [join(here, "migrate-tree.ts")],
  outfile: bundle,
  external: ["@cgi2wsgi/*"],
});
const cli = installed.bin;

const fresh = (name: string): void => {
  rmSync(copy, { recursive: true, force: true });
  cpSync(tree, copy, { recursive: true });
  // migrate rewrites in place only what git can give back, as a user's tree would be.
  if (name.includes("migrate command")) {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: copy, stdio: "ignore" });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qm", "tree");
  }
};
// Both rewrite copies of the same tree in place: one thread each, then two each.
const ours = (jobs: number): string[] => [bundle, copy, String(jobs)];
const theirs = (threads: string): string[] => [
  join(tools, "node_modules", "jscodeshift", "bin", "jscodeshift.js"),
  "-t",
  join(here, "rename-env.cjs"),
  "--extensions=js,cjs,mjs",
  "--parser=babel",
  threads,
  "--silent",
  copy,
];
const command = (jobs: number): string[] => [cli, "migrate", ".", "--jobs", String(jobs)];
const subjects: Record<string, string[]> = {
  "cgi2wsgi migrateSource (1 thread)": ours(1),
  "jscodeshift rename (in band)": theirs("--run-in-band"),
  "cgi2wsgi migrate command (1 thread)": command(1),
  "cgi2wsgi migrateSource (2 threads)": ours(2),
  "jscodeshift rename (2 workers)": theirs("--cpus=2"),
};

// Wall time suffers when the host is busy; CPU time (user + system, from /usr/bin/time) less so.
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const loadBefore = load();
for (let run = 0; run < runs; run++) {
  for (const [name, argv] of Object.entries(subjects)) {
    fresh(name);
    const start = process.hrtime.bigint();
    const child = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...argv], {
      cwd: name.includes("migrate command") ? copy : root,
      encoding: "utf8",
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
    const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(child.stderr)!;
    if (run === 0) console.log(`${name}: ${child.stdout.trim().split("\n").at(-1) ?? ""}`);
    (wall[name] ??= []).push(ms);
    (cpu[name] ??= []).push((Number(user) + Number(system)) * 1000);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const [base] = Object.keys(subjects) as [string];
for (const name of Object.keys(subjects)) {
  const w = median(wall[name]!);
  const c = median(cpu[name]!);
  console.log(
    `${name.padEnd(36)} wall ${w.toFixed(0).padStart(6)} ms (x${(w / median(wall[base]!)).toFixed(2)})` +
      `  cpu ${c.toFixed(0).padStart(6)} ms (x${(c / median(cpu[base]!)).toFixed(2)})  ${(c / files).toFixed(2)} cpu-ms/file`,
  );
}
const ratio = (of: Record<string, number[]>, a: string, b: string) =>
  (median(of[a]!) / median(of[b]!)).toFixed(2);
const [ours1, theirs1, command1] = Object.keys(subjects) as [string, string, string];
console.log(
  `ours / jscodeshift on one thread: cpu x${ratio(cpu, ours1, theirs1)}, wall x${ratio(wall, ours1, theirs1)}` +
    `; the migrate command: cpu x${ratio(cpu, command1, theirs1)}, wall x${ratio(wall, command1, theirs1)}` +
    ` (medians of ${runs}); load average ${loadBefore} before, ${load()} after`,
);
