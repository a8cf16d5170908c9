/**
 * Does a pool of pre-started Node processes pay for unmigrated Node scripts? Each pooled
 * process boots ahead of time, then takes one request's CGI environment and runs the script
 * as its main module (prestart-entry.cjs), so module state is still fresh per request.
 * Compares it with a plain spawn per request (what cgiHost does), sequentially and with a
 * few requests at once; prints requests/s and median latency.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/cgi-host/prestart.ts [requests]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeTempDir, removeTempDir } from "../../packages/runtime/test/support/index.js";
import { LEGACY_NODE } from "./scripts.js";

const requests = Number(process.argv[2] ?? 60);
const here = fileURLToPath(new URL(".", import.meta.url));
const dir = await makeTempDir("bench-prestart");
const file = join(dir, "hello.cjs");
await writeFile(file, LEGACY_NODE);
await chmod(file, 0o755);
const env = {
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  REQUEST_METHOD: "GET",
  QUERY_STRING: "name=pool",
};

function collect(child: ChildProcess): Promise<string> {
  const out: Buffer[] = [];
  child.stdout!.on("data", (chunk: Buffer) => out.push(chunk));
  return new Promise((done) => child.on("close", () => done(Buffer.concat(out).toString())));
}

const perRequest = () =>
  collect(spawn(file, [], { env, cwd: dir, stdio: ["ignore", "pipe", "pipe"], detached: true }));

interface Warm {
  child: ChildProcess;
  output: Promise<string>;
}
const poolSize = availableParallelism();
const pool: Warm[] = [];
function refill(): void {
  while (pool.length < poolSize) {
    const child = spawn(process.execPath, [join(here, "prestart-entry.cjs")], {
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      detached: true,
    });
    pool.push({ child, output: collect(child) });
  }
}
const pooled = () => {
  refill();
  const warm = pool.shift()!;
  refill();
  const job = Buffer.from(JSON.stringify({ env, cwd: dir, file }));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(job.length);
  (warm.child.stdio[3] as NodeJS.WritableStream).end(Buffer.concat([head, job]));
  return warm.output;
};

async function measure(name: string, run: () => Promise<string>, concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const t = performance.now();
        const out = await run();
        latencies.push(performance.now() - t);
        if (!out.includes("Hello, pool!")) throw new Error(`${name}: unexpected output ${out}`);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const median = latencies[latencies.length >> 1]!;
  console.log(
    `${name.padEnd(22)} c=${concurrency}  ${(requests / seconds).toFixed(1).padStart(6)} req/s  median ${median.toFixed(0).padStart(4)} ms`,
  );
}

refill();
await new Promise((done) => setTimeout(done, 500));
console.log(`legacy Node script, ${requests} requests per row, ${availableParallelism()} CPUs`);
for (const concurrency of [1, 4]) {
  await measure("spawn per request", perRequest, concurrency);
  await measure("pre-started process", pooled, concurrency);
}
for (const warm of pool) warm.child.kill();
await removeTempDir(dir);
