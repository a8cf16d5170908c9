/**
 * CGI host throughput: the same legacy scripts served by nginx + fcgiwrap, and by nginx in
 * front of our HTTP server hosting them with cgiHost; then the Node script migrated and run
 * in-process (mixedDirectory) behind the same nginx. wrk drives each in turn for a few
 * seconds; prints requests/s and the ratio to fcgiwrap. Both CGI hosts run at most as many
 * scripts at once as there are CPUs (fcgiwrap -c N, maxProcesses N).
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/cgi-host/run.ts [seconds] [connections]
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { createHttpServer, mixedDirectory } from "@cgi2wsgi/runtime";
import {
  makeTempDir,
  removeTempDir,
  startNginx,
  startNginxCgi,
  type FrontServer,
} from "../../packages/runtime/test/support/index.js";
import { LEGACY_NODE, LEGACY_SHELL, MIGRATED_NODE } from "./scripts.js";

const seconds = Number(process.argv[2] ?? 3);
const connections = Number(process.argv[3] ?? 8);
const cpus = availableParallelism();

async function put(file: string, text: string, mode: number): Promise<void> {
  await writeFile(file, text);
  await chmod(file, mode);
}

// Asynchronous on purpose: our servers run in this process and must keep serving.
async function wrk(url: string): Promise<number> {
  const { stdout: out } = await promisify(execFile)("wrk", [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    url,
  ]);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (errors) {
    const res = await fetch(url);
    throw new Error(
      `${url}: ${errors[1]} failed responses, e.g. ${res.status} ${await res.text()}`,
    );
  }
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

const base = await makeTempDir("bench-cgi-host");
const legacy = join(base, "legacy");
const mixed = join(base, "mixed");
await mkdir(legacy);
await mkdir(mixed);
await put(join(legacy, "hello.cjs"), LEGACY_NODE, 0o755);
await put(join(legacy, "hello.sh"), LEGACY_SHELL, 0o755);
await put(join(mixed, "hello.cjs"), MIGRATED_NODE, 0o644);
await put(join(mixed, "hello.sh"), LEGACY_SHELL, 0o755);

const quiet = { log: (text: string) => void (process.env.BENCH_LOG && process.stderr.write(text)) };
const hostOptions = {
  maxProcesses: Number(process.env.BENCH_MAX_PROCESSES ?? cpus),
  maxQueue: 10_000,
  base: "/cgi-bin",
};
const legacyServer = createHttpServer(await mixedDirectory(legacy, hostOptions), {
  ...quiet,
  mount: "/cgi-bin",
});
const mixedServer = createHttpServer(await mixedDirectory(mixed, hostOptions), {
  ...quiet,
  mount: "/cgi-bin",
});
const fronts: FrontServer[] = [];
try {
  const fcgiwrap = await startNginxCgi({ scriptsDir: legacy });
  fronts.push(fcgiwrap);
  const ours = await startNginx({
    upstream: { kind: "http", backend: { host: "127.0.0.1", port: await listen(legacyServer) } },
    mount: "/cgi-bin",
  });
  fronts.push(ours);
  const migrated = await startNginx({
    upstream: { kind: "http", backend: { host: "127.0.0.1", port: await listen(mixedServer) } },
    mount: "/cgi-bin",
  });
  fronts.push(migrated);

  const rows: Array<[string, number, number | undefined]> = [];
  for (const script of ["hello.cjs", "hello.sh"]) {
    const path = `/cgi-bin/${script}?name=bench`;
    const wrap = await wrk(fcgiwrap.baseUrl + path);
    rows.push([`${script}: nginx + fcgiwrap`, wrap, undefined]);
    rows.push([`${script}: nginx + cgi2wsgi cgiHost`, await wrk(ours.baseUrl + path), wrap]);
    if (script === "hello.cjs") {
      rows.push([`${script}: migrated, in-process`, await wrk(migrated.baseUrl + path), wrap]);
    }
  }
  console.log(`CGI host, wrk -c${connections} ${seconds}s per row, ${cpus} CPUs`);
  for (const [name, rps, against] of rows) {
    const ratio = against ? `  x${(rps / against).toFixed(2)} of fcgiwrap` : "";
    console.log(`${name.padEnd(40)} ${rps.toFixed(0).padStart(7)} req/s${ratio}`);
  }
} finally {
  for (const front of fronts) await front.close();
  legacyServer.close();
  mixedServer.close();
  await removeTempDir(base);
}
