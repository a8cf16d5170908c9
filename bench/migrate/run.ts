/**
 * `cgi2wsgi migrate` end to end: the real binary as a user installs it (the packed tarballs,
 * npm-installed into bench/.work, run with plain node) over 1,000 generated legacy CGI scripts into an --out-dir, with --jobs 1 and
 * --jobs 2 alternated in the same run; prints the median wall and CPU time of each and the
 * ratio of wall times.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/migrate/run.ts [runs] [files]
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installPackages } from "../installed.js";
import { generateTree } from "../lint/generate.js";

const runs = Number(process.argv[2] ?? 3);
const files = Number(process.argv[3] ?? 1000);
const root = fileURLToPath(new URL("../..", import.meta.url));
const work = join(root, "bench", ".work");
const tree = join(work, "migrate-tree");
const out = join(work, "migrate-out");
const { bin } = installPackages(join(work, "migrate-installed"));

generateTree(tree, { total: files, cgi: files });

function migrate(jobs: number): { ms: number; cpu: number; summary: string } {
  rmSync(out, { recursive: true, force: true });
  const node = [process.execPath, bin];
  const args = ["migrate", tree, "--out-dir", out, "--jobs", String(jobs)];
  const started = performance.now();
  // GNU time adds the CPU time (user + system) of the process and its threads.
  const run = spawnSync("/usr/bin/time", ["-f", "cpu %U %S", ...node, ...args], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`migrate failed: ${run.stderr}`);
  const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr) ?? [];
  const cpu = (Number(user) + Number(system)) * 1000;
  return { ms, cpu, summary: run.stdout.trim().split("\n").at(-1) ?? "" };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const times: Record<1 | 2, number[]> = { 1: [], 2: [] };
const cpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
let summary = "";
for (let run = 0; run < runs; run++) {
  for (const jobs of [1, 2] as const) {
    const result = migrate(jobs);
    times[jobs].push(result.ms);
    cpu[jobs].push(result.cpu);
    summary = result.summary;
  }
}
rmSync(out, { recursive: true, force: true });
const one = median(times[1]);
const two = median(times[2]);
console.log(`migrate: ${files} generated scripts, median of ${runs} runs, process start included`);
console.log(`  last summary: ${summary}`);
for (const [jobs, wall] of [
  [1, one],
  [2, two],
] as const) {
  const perSecond = Math.round(files / (wall / 1000));
  const cpuSeconds = (median(cpu[jobs]) / 1000).toFixed(2);
  console.log(
    `  --jobs ${jobs}: ${(wall / 1000).toFixed(2)} s wall (${perSecond} files/s), ${cpuSeconds} s CPU`,
  );
}
console.log(
  `  wall time --jobs 1 / --jobs 2: x${(one / two).toFixed(2)}; load average ${loadavg()[0]!.toFixed(1)}`,
);
