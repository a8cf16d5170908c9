/**
 * Lint speed: `cgi2wsgi lint` against ESLint configured to flag the same usage
 * (n/no-process-env, no-restricted-properties, no-restricted-syntax) and ast-grep as a
 * reference, on one generated tree of 5,000 files (2,000 legacy CGI scripts), in the same
 * run, each tool started as a user starts it, runs alternated. Prints medians and ratios.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/lint/run.ts [runs] [total] [cgi]
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { installPackages } from "../installed.js";
import { generateTree } from "./generate.js";
import { installTools } from "./tools.js";

const runs = Number(process.argv[2] ?? 3);
const total = Number(process.argv[3] ?? 5000);
const cgi = Number(process.argv[4] ?? 2000);
const root = fileURLToPath(new URL("../..", import.meta.url));
const work = join(root, "bench", ".work");
const tree = join(work, "lint-tree");
const tools = installTools(join(work, "lint-tools"));
generateTree(tree, { total, cgi });

// The CLI as a user installs it: the packed tarballs, npm-installed, run with plain node.
const { bin } = installPackages(join(work, "lint-installed"));

const out = (name: string) => join(work, `lint-${name}.json`);
const ours = (name: string, entry: string[], jobs = "1") => ({
  argv: [...entry, "lint", ".", "--jobs", jobs, "--format", "json", "--output", out(name)],
  flagged: () => JSON.parse(readFileSync(out(name), "utf8")).files.length,
  output: out(name),
});
const subjects: Record<string, { argv: string[]; flagged: () => number; output: string }> = {
  "cgi2wsgi (installed)": ours("installed", [bin]),
  "cgi2wsgi -j2 (installed)": ours("installed-j2", [bin], "2"),
  "cgi2wsgi (tsx)": ours("tsx", [
    "--conditions=cgi2wsgi-source",
    "--import",
    "tsx",
    join(root, "packages/cli/bin/cgi2wsgi.js"),
  ]),
  eslint: {
    argv: [
      tools.eslint,
      "--config",
      tools.eslintConfig,
      "--format",
      "json",
      "-o",
      out("eslint"),
      ".",
    ],
    flagged: () =>
      (JSON.parse(readFileSync(out("eslint"), "utf8")) as Array<{ messages: unknown[] }>).filter(
        (file) => file.messages.length > 0,
      ).length,
    output: out("eslint"),
  },
};

// Wall time and CPU time (user + system, from GNU time): the machine is shared, and CPU
// time is what stays comparable when other work competes for the two cores.
const times: Record<string, { wall: number[]; cpu: number[] }> = Object.fromEntries(
  [...Object.keys(subjects), "ast-grep"].map((name) => [name, { wall: [], cpu: [] }]),
);
const flagged: Record<string, number> = {};
const time = (name: string, command: string, argv: string[]) => {
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S", command, ...argv], {
    cwd: tree,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${command} ${argv.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
  const [wall, user, system] = result.stderr.trim().split("\n").pop()!.split(" ").map(Number);
  times[name]!.wall.push(wall! * 1000);
  times[name]!.cpu.push((user! + system!) * 1000);
  return result.stdout;
};

for (let run = 0; run < runs; run++) {
  for (const [name, subject] of Object.entries(subjects)) {
    // A tool that crashes also exits non-zero: only a fresh report counts as a run.
    rmSync(subject.output, { force: true });
    time(name, process.execPath, subject.argv);
    flagged[name] = subject.flagged();
  }
  const matches = time("ast-grep", tools.astGrep, [
    "scan",
    "--config",
    tools.astGrepConfig,
    "--json=compact",
    ".",
  ]);
  flagged["ast-grep"] = new Set(
    (JSON.parse(matches) as Array<{ file: string }>).map((match) => match.file),
  ).size;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const eslint = { wall: median(times.eslint!.wall), cpu: median(times.eslint!.cpu) };
const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(6);
console.log(`tree: ${total} files (${cgi} CGI scripts), ${runs} runs each, medians`);
console.log(`${"".padEnd(26)}   wall s  ESLint/x    cpu s  ESLint/x   files flagged`);
for (const [name, { wall, cpu }] of Object.entries(times)) {
  const w = median(wall);
  const c = median(cpu);
  console.log(
    `${name.padEnd(26)} ${seconds(w)} ${(eslint.wall / w).toFixed(1).padStart(8)}   ${seconds(c)} ${(eslint.cpu / c).toFixed(1).padStart(8)}   ${flagged[name]}`,
  );
}
