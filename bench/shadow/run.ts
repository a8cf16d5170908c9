/**
 * Shadowing's cost to clients: p99 latency of requests served while `serve --shadow`
 * compares them, against the same requests served without it, in the same run. Four
 * `cgi2wsgi serve` processes (the CLI from sources) on one legacy Node CGI script and its
 * migrated module; wrk (`--latency`, closed loop) drives each in turn, rounds alternated;
 * prints median p50/p99 per subject and the ratio of shadowed to unshadowed.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/shadow/run.ts [rounds=3] [seconds=5] [connections=4]
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { loadavg } from "node:os";
import { makeTempDir, removeTempDir } from "../../packages/runtime/test/support/index.js";
import { LEGACY_NODE, MIGRATED_NODE } from "../cgi-host/scripts.js";

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const connections = Number(process.argv[4] ?? 4);
const root = fileURLToPath(new URL("../..", import.meta.url));
const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
const cli = [
  "--conditions=cgi2wsgi-source",
  "--import",
  tsx,
  join(root, "packages/cli/bin/cgi2wsgi.js"),
];

interface Subject {
  name: string;
  args: string[];
  /** The subject this one is compared with. */
  peer?: string;
  child?: ChildProcess;
  url?: string;
  p50: number[];
  p99: number[];
  rps: number[];
}

const subjects: Subject[] = [
  { name: "legacy served, unshadowed", args: ["legacy"], p50: [], p99: [], rps: [] },
  {
    name: "legacy served, shadowed",
    args: ["out", "--shadow", "--legacy", "legacy"],
    peer: "legacy served, unshadowed",
    p50: [],
    p99: [],
    rps: [],
  },
  { name: "migrated served, unshadowed", args: ["out"], p50: [], p99: [], rps: [] },
  {
    name: "migrated served, shadowed",
    args: ["out", "--shadow", "--legacy", "legacy", "--shadow-serve", "migrated"],
    peer: "migrated served, unshadowed",
    p50: [],
    p99: [],
    rps: [],
  },
];

function start(subject: Subject, cwd: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [...cli, "serve", ...subject.args, "--listen", "127.0.0.1:0"],
    { cwd, stdio: ["ignore", "ignore", "pipe"] },
  );
  subject.child = child;
  let err = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      err += chunk;
      const match = /over http on (http:\/\/\S+) /.exec(err);
      if (match && !subject.url) {
        subject.url = match[1];
        resolve();
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`${subject.name}: serve exited ${code}: ${err}`)),
    );
  });
}

function millis(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value)!;
  return Number(match[1]) * (match[2] === "us" ? 0.001 : match[2] === "s" ? 1000 : 1);
}

async function wrk(url: string): Promise<{ p50: number; p99: number; rps: number }> {
  const { stdout } = await promisify(execFile)("wrk", [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--latency",
    url,
  ]);
  if (/Non-2xx or 3xx responses/.test(stdout))
    throw new Error(`${url}: failed responses\n${stdout}`);
  return {
    p50: millis(/ 50%\s+(\S+)/.exec(stdout)![1]!),
    p99: millis(/ 99%\s+(\S+)/.exec(stdout)![1]!),
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)![1]),
  };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = await makeTempDir("bench-shadow");
try {
  await mkdir(join(dir, "legacy"));
  await mkdir(join(dir, "out"));
  await writeFile(join(dir, "legacy/hello.cjs"), LEGACY_NODE);
  await chmod(join(dir, "legacy/hello.cjs"), 0o755);
  await writeFile(join(dir, "out/hello.cjs"), MIGRATED_NODE);
  for (const subject of subjects) await start(subject, dir);
  const loads: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so neither side always runs on a machine the other just warmed.
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const result = await wrk(`${subject.url}/hello.cjs?name=bench`);
      subject.p50.push(result.p50);
      subject.p99.push(result.p99);
      subject.rps.push(result.rps);
      loads.push(loadavg()[0]!);
      // Let comparisons still running finish before the next subject is measured.
      await sleep(1000);
    }
  }
  console.log(
    `serve --shadow, wrk -t1 -c${connections} ${seconds}s x ${rounds} rounds alternated; load average ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)}`,
  );
  for (const subject of subjects) {
    const peer = subjects.find((s) => s.name === subject.peer);
    const ratio = peer
      ? `  p99 x${(median(subject.p99) / median(peer.p99)).toFixed(2)} of unshadowed`
      : "";
    console.log(
      `${subject.name.padEnd(30)} p50 ${median(subject.p50).toFixed(2).padStart(7)} ms  p99 ${median(subject.p99).toFixed(2).padStart(7)} ms  ${median(subject.rps).toFixed(0).padStart(6)} req/s${ratio}`,
    );
    console.log(
      `${"".padEnd(30)} p99 per round: ${subject.p99.map((v) => v.toFixed(2)).join(", ")}`,
    );
  }
} finally {
  for (const subject of subjects) subject.child?.kill("SIGTERM");
  await sleep(500);
  await removeTempDir(dir);
}
