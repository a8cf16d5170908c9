/**
 * Codemod speed: `migrateSource` over 1,000 generated legacy CGI scripts (formatting with
 * prettier included, files read and written, in one Node process as the CLI runs it) against
 * jscodeshift running a bare `process.env` rename on copies of the same files, in the same
 * run, alternated, single-threaded and on two threads. jscodeshift is installed with npm
 * into bench/.work at bench time.
 *
 *   node --conditions=source --import tsx bench/codemod/run.ts [runs] [files]
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
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

const fresh = (): void => {
  rmSync(copy, { recursive: true, force: true });
  cpSync(tree, copy, { recursive: true });
};
// Both rewrite copies of the same tree in place: one thread each, then two each.
const ours = (jobs: number): string[] => [
  "--conditions=source",
  "--import",
  "tsx",
  join(here, "migrate-tree.ts"),
  copy,
  String(jobs),
];
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
const subjects: Record<string, string[]> = {
  "cgi2wsgi migrateSource (1 thread)": ours(1),
  "jscodeshift rename (in band)": theirs("--run-in-band"),
  "cgi2wsgi migrateSource (2 threads)": ours(2),
  "jscodeshift rename (2 workers)": theirs("--cpus=2"),
};

// Wall time suffers when the host is busy; CPU time (user + system, from /usr/bin/time) less so.
const wall: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (let run = 0; run < runs; run++) {
  for (const [name, argv] of Object.entries(subjects)) {
    fresh();
    const start = process.hrtime.bigint();
    const child = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", process.execPath, ...argv], {
      cwd: root,
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
