/**
 * Migrated scripts against hand-written applications: the same pages (bench/migrated/pages.ts)
 * as legacy CGI scripts under nginx + fcgiwrap, as the codemod migrates them (whatever form
 * `cgi2wsgi migrate` gives), in the cgiProcess form (what migrate gave them before it could
 * prove them synchronous; what scripts it cannot prove so still get), and written by hand,
 * each served by `cgi2wsgi serve` over HTTP directly and over FastCGI behind nginx. Then a hand-written application in a directory
 * beside cgiProcess modules that are serving requests the whole time, against the same
 * application served alone. wrk drives each in turn, rounds alternated; prints the median
 * requests/s of every subject and the ratios within the same run.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/migrated/run.ts [rounds=5] [seconds=3] [subjects]
 *
 * `subjects`: a regular expression choosing the rows to measure, e.g. "neighbour|http$".
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { installPackages } from "../installed.js";
import {
  freePort,
  startNginx,
  startNginxCgi,
  waitForListening,
  type Address,
  type FrontServer,
} from "../../packages/runtime/test/support/index.js";
import * as pages from "./pages.js";

const rounds = Number(process.argv[2] ?? 5);
const seconds = Number(process.argv[3] ?? 3);
const connections = 16;
const here = fileURLToPath(new URL(".", import.meta.url));
const work = join(here, "..", ".work", "migrated");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

function put(dir: string, files: Record<string, string>, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    chmodSync(join(dir, name), mode);
  }
  return dir;
}

// The packages as a user installs them; the scripts' directories live in that project, so
// the migrated modules' require("@cgi2wsgi/runtime") is the one the command loads.
const installed = installPackages(join(work, "installed"));
const cli = installed.bin;
const site = installed.dir;

const legacy = put(join(site, "legacy"), {
  "echo.cjs": pages.LEGACY_ECHO,
  "post.cjs": pages.LEGACY_POST,
  "slow.cjs": pages.LEGACY_SLOW,
});
const migrated = join(site, "migrated");
execFileSync(process.execPath, [cli, "migrate", legacy, "--out-dir", migrated, "--jobs", "1"], {
  stdio: "ignore",
});
const forms = ["echo.cjs", "post.cjs", "slow.cjs"].map((name) => {
  const text = readFileSync(join(migrated, name), "utf8");
  return `${name}: ${/\bcgiProcess\(/.test(text) ? "cgiProcess" : "plain application"}`;
});
const cgiprocess = put(join(site, "cgiprocess"), {
  "echo.cjs": pages.CGIPROCESS_ECHO,
  "post.cjs": pages.CGIPROCESS_POST,
});
const hand = put(join(site, "hand"), { "echo.cjs": pages.HAND_ECHO, "post.cjs": pages.HAND_POST });
// The neighbour test: the hand-written echo beside the migrated modules.
const mixed = put(join(site, "mixed"), {
  "echo.cjs": pages.HAND_ECHO,
  "form.cjs": pages.CGIPROCESS_POST,
});
for (const name of ["post.cjs", "slow.cjs"]) {
  writeFileSync(join(mixed, name), readFileSync(join(migrated, name)));
}
const postLua = join(work, "post.lua");
writeFileSync(
  postLua,
  `wrk.method = "POST"\nwrk.body = "${pages.FORM}"\n` +
    `wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`,
);

const children: ChildProcess[] = [];
const fronts: FrontServer[] = [];
process.on("exit", () => children.forEach((child) => child.kill("SIGTERM")));

// The server process behind each base URL, for its CPU time.
const pids = new Map<string, number>();

/** User + system CPU seconds of a process so far (all its threads). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function serve(dir: string, protocol: "http" | "fastcgi"): Promise<string> {
  const base = await serveAt(dir, protocol);
  pids.set(base, children.at(-1)!.pid!);
  return base;
}

async function serveAt(dir: string, protocol: "http" | "fastcgi"): Promise<string> {
  const log = openSync(join(work, `serve-${children.length}.log`), "w");
  if (protocol === "http") {
    const port = await freePort();
    const listen = `127.0.0.1:${port}`;
    await ready(start(dir, protocol, listen, log), { host: "127.0.0.1", port });
    return `http://${listen}`;
  }
  const socket = join(work, `fcgi-${children.length}.sock`);
  await ready(start(dir, protocol, `unix:${socket}`, log), { socket });
  const nginx = await startNginx({
    upstream: { kind: "fastcgi", backend: { socket }, keepConn: true },
  });
  fronts.push(nginx);
  return nginx.baseUrl;
}

async function ready(child: ChildProcess, address: Address): Promise<void> {
  children.push(child);
  const alive = () => child.exitCode === null;
  if (!(await waitForListening(address, alive)))
    throw new Error(`serve did not listen: see ${work}`);
}

function start(dir: string, protocol: string, listen: string, log: number): ChildProcess {
  const args = [cli, "serve", dir, "--protocol", protocol, "--listen", listen, "--modules-only"];
  return spawn(process.execPath, args, { stdio: ["ignore", log, log], cwd: work });
}

async function wrk(
  url: string,
  post: boolean,
  duration = seconds,
): Promise<{ rps: number; requests: number }> {
  const args = ["-t1", `-c${connections}`, `-d${duration}s`, ...(post ? ["-s", postLua] : []), url];
  const { stdout } = await promisify(execFile)("wrk", args);
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(stdout);
  if (errors) throw new Error(`${url}: ${errors[1]} failed responses`);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)![1]),
    requests: Number(/(\d+) requests in/.exec(stdout)![1]),
  };
}

async function fetchPage(url: string, post: boolean): Promise<string> {
  const init = post
    ? {
        method: "POST",
        body: pages.FORM,
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }
    : {};
  const res = await fetch(url, init);
  return `${res.status} ${res.headers.get("content-type")}\n${await res.text()}`;
}

interface Subject {
  name: string;
  page: "echo" | "post";
  url: string;
  /** The hand-written peer this subject's ratio is taken against. */
  peer?: string;
  /** The server process, when one process serves it (not fcgiwrap's scripts). */
  pid?: number;
}

try {
  const fcgiwrap = await startNginxCgi({ scriptsDir: legacy, mount: "" });
  fronts.push(fcgiwrap);
  const bases: Record<string, string> = {};
  for (const via of ["http", "nginx fastcgi"] as const) {
    const protocol = via === "http" ? "http" : "fastcgi";
    bases[`hand-written, ${via}`] = await serve(hand, protocol);
    bases[`migrated, ${via}`] = await serve(migrated, protocol);
    bases[`cgiProcess form, ${via}`] = await serve(cgiprocess, protocol);
  }
  const alone = bases["hand-written, http"]!;
  const beside = await serve(mixed, "http");
  const subjects: Subject[] = [];
  const add = (subject: Subject) =>
    subjects.push({ ...subject, pid: pids.get(subject.url.replace(/^(http:\/\/[^/]+).*$/, "$1")) });
  for (const page of ["echo", "post"] as const) {
    const path = `/${page}.cjs${page === "echo" ? `?${pages.QUERY}` : ""}`;
    add({
      name: `${page}: legacy, nginx + fcgiwrap`,
      page,
      url: fcgiwrap.baseUrl + path,
    });
    for (const via of ["http", "nginx fastcgi"]) {
      const peer = `${page}: hand-written, ${via}`;
      add({ name: peer, page, url: bases[`hand-written, ${via}`] + path });
      for (const form of ["migrated", "cgiProcess form"]) {
        const url = bases[`${form}, ${via}`] + path;
        add({ name: `${page}: ${form}, ${via}`, page, url, peer });
      }
    }
  }
  const echoPath = `/echo.cjs?${pages.QUERY}`;
  add({
    name: "neighbour: hand-written echo alone",
    page: "echo",
    url: alone + echoPath,
  });
  add({
    name: "neighbour: beside idle cgiProcess modules",
    page: "echo",
    url: beside + echoPath,
    peer: "neighbour: hand-written echo alone",
  });
  add({
    name: "neighbour: beside busy cgiProcess modules",
    page: "echo",
    url: beside + echoPath,
    peer: "neighbour: beside idle cgiProcess modules",
  });
  const only = process.argv[4] ? new RegExp(process.argv[4]) : undefined;
  if (only) subjects.splice(0, subjects.length, ...subjects.filter((s) => only.test(s.name)));

  // Every form of a page must give the same response, or the comparison means nothing.
  for (const page of ["echo", "post"] as const) {
    const answers = new Set<string>();
    for (const subject of subjects.filter((s) => s.page === page)) {
      answers.add(await fetchPage(subject.url, page === "post"));
    }
    if (answers.size !== 1)
      throw new Error(`${page}: the forms differ:\n${[...answers].join("\n---\n")}`);
  }

  const results = new Map(
    subjects.map((s) => [s.name, { rps: [] as number[], cpu: [] as number[] }]),
  );
  const loads: number[] = [];
  for (const subject of subjects) await wrk(subject.url, subject.page === "post", 1);
  for (let round = 0; round < rounds; round++) {
    // Alternate the order, so neither side always runs first in a round.
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const neighbour = subject.name.startsWith("neighbour: beside busy");
      // Keeps a cgiProcess request in flight on the mixed server while its neighbour is
      // measured; the CPU those requests take on their own, measured just before, is not
      // counted against the neighbour.
      let background = 0;
      if (neighbour) {
        const start = cpuSeconds(subject.pid!);
        await wrk(`${beside}/slow.cjs`, false, 2);
        background = (cpuSeconds(subject.pid!) - start) / 2;
      }
      const busy = neighbour ? wrk(`${beside}/slow.cjs`, false, seconds + 1) : undefined;
      if (busy) await new Promise((r) => setTimeout(r, 200));
      const before = subject.pid ? cpuSeconds(subject.pid) : 0;
      const began = performance.now();
      const { rps, requests } = await wrk(subject.url, subject.page === "post");
      const spent = background * ((performance.now() - began) / 1000);
      const result = results.get(subject.name)!;
      result.rps.push(rps);
      if (subject.pid) {
        result.cpu.push(((cpuSeconds(subject.pid) - before - spent) / requests) * 1e6);
      }
      await busy;
    }
    loads.push(loadavg()[0]!);
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  console.log(`migrate gave: ${forms.join(", ")}`);
  console.log(
    `wrk -t1 -c${connections}, ${rounds} alternated rounds of ${seconds} s, load average ` +
      `${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (machine shared with other work)`,
  );
  console.log(
    `${"".padEnd(42)} ${"req/s".padStart(7)} ${"ratio".padStart(6)}  ${"CPU µs/req".padStart(10)} ${"ratio".padStart(6)}  each round's req/s`,
  );
  // The CPU ratio is the peer's CPU per request over this one's: the throughput ratio a
  // process would reach with the CPU to itself, steadier than req/s on a loaded machine.
  for (const subject of subjects) {
    const { rps, cpu } = results.get(subject.name)!;
    const peer = subject.peer ? results.get(subject.peer)! : undefined;
    const ratio = peer ? `x${(median(rps) / median(peer.rps)).toFixed(2)}` : "";
    const us = cpu.length > 0 ? median(cpu).toFixed(1) : "";
    const cpuRatio =
      peer && cpu.length > 0 ? `x${(median(peer.cpu) / median(cpu)).toFixed(2)}` : "";
    const each = rps.map((v) => v.toFixed(0)).join(" ");
    console.log(
      `${subject.name.padEnd(42)} ${median(rps).toFixed(0).padStart(7)} ${ratio.padStart(6)}  ${us.padStart(10)} ${cpuRatio.padStart(6)}  [${each}]`,
    );
  }
} finally {
  for (const front of fronts) await front.close();
  for (const child of children) child.kill("SIGTERM");
}
