/**
 * FastCGI throughput: nginx in front of our FastCGI server, node's own http module and
 * node-fastcgi (installed into bench/.work at bench time), each serving the same hello
 * world from one process over a unix socket with upstream keep-alive. Our server and the
 * http one are bundled with esbuild first, as a deployment runs built JavaScript, and all
 * run with the same node flags. wrk runs against each in turn, several rounds; prints the
 * median requests/s, the ratios, and the resident memory of our process under 256
 * concurrent connections. php-fpm joins when it is installed.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/fastcgi/run.ts [rounds] [seconds]
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../bundle.js";

const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const here = fileURLToPath(new URL(".", import.meta.url));
const work = join(here, "..", ".work", "fastcgi");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const children: ChildProcess[] = [];
// SIGTERM, not SIGKILL: nginx and php-fpm masters must take their workers down with them.
process.on("exit", () => children.forEach((c) => c.kill("SIGTERM")));

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  // Output goes to a log file: an inherited pipe would outlive this script in any worker.
  const log = openSync(join(work, `${children.length}.log`), "w");
  const child = spawn(command, args, {
    stdio: ["ignore", log, log],
    env: { ...process.env, ...env },
  });
  children.push(child);
  return child;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForSocket(path: string): Promise<void> {
  for (let i = 0; i < 200 && !existsSync(path); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(path)) throw new Error(`nothing listens on ${path}`);
}

function installNodeFastcgi(): string | undefined {
  const dir = join(here, "..", ".work", "node-fastcgi");
  const entry = join(dir, "node_modules", "node-fastcgi");
  if (!existsSync(entry)) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync("npm", ["install", "--prefix", dir, "--no-save", "--silent", "node-fastcgi"], {
        stdio: "ignore",
      });
    } catch {
      return undefined;
    }
  }
  return existsSync(entry) ? entry : undefined;
}

const node = process.execPath;
async function bundle(name: string): Promise<string> {
  const outfile = join(work, `${name}.mjs`);
  await bundleForNode({ entryPoints: [join(here, `${name}.ts`)], outfile });
  return outfile;
}
interface Contender {
  name: string;
  kind: "fastcgi" | "http";
  socket: string;
  child?: ChildProcess;
  port?: number;
  /** SCRIPT_FILENAME for php-fpm. */
  script?: string;
}
const contenders: Contender[] = [
  { name: "cgi2wsgi fastcgi", kind: "fastcgi", socket: join(work, "ours.sock") },
  { name: "node http", kind: "http", socket: join(work, "http.sock") },
];
contenders[0]!.child = start(node, [await bundle("ours"), `unix:${contenders[0]!.socket}`]);
contenders[1]!.child = start(node, [await bundle("node-http"), contenders[1]!.socket]);
const nodeFastcgi = installNodeFastcgi();
if (nodeFastcgi) {
  const c: Contender = { name: "node-fastcgi", kind: "fastcgi", socket: join(work, "nf.sock") };
  c.child = start(node, [join(here, "node-fastcgi.cjs"), c.socket], {
    NODE_FASTCGI_PATH: nodeFastcgi,
  });
  contenders.push(c);
} else {
  console.log("node-fastcgi did not install; left out");
}
const phpFpm = readdirSync("/usr/sbin").find((name) => /^php-fpm[\d.]*$/.test(name));
if (phpFpm) {
  // php-fpm is prefork by design; two children, one per core of the bench machine.
  const c: Contender = {
    name: "php-fpm (2 children)",
    kind: "fastcgi",
    socket: join(work, "php.sock"),
  };
  writeFileSync(
    join(work, "hello.php"),
    '<?php header("Content-Type: text/plain"); echo "Hello, world!\\n";\n',
  );
  writeFileSync(
    join(work, "php-fpm.conf"),
    `[global]\npid = ${work}/php-fpm.pid\nerror_log = ${work}/php-fpm.log\ndaemonize = no\n` +
      `[www]\nlisten = ${c.socket}\nlisten.mode = 0666\npm = static\npm.max_children = 2\n`,
  );
  c.child = start(`/usr/sbin/${phpFpm}`, ["-F", "-R", "-y", join(work, "php-fpm.conf")]);
  c.script = join(work, "hello.php");
  contenders.push(c);
} else {
  console.log("php-fpm is not installed (apt-get install php-fpm); left out");
}
for (const c of contenders) await waitForSocket(c.socket);

let servers = "";
for (const [i, c] of contenders.entries()) {
  c.port = await freePort();
  const pass =
    c.kind === "fastcgi"
      ? `fastcgi_pass u${i}; fastcgi_keep_conn on; include /etc/nginx/fastcgi_params;` +
        (c.script ? ` fastcgi_param SCRIPT_FILENAME ${c.script};` : "")
      : `proxy_pass http://u${i}; proxy_http_version 1.1; proxy_set_header Connection "";`;
  servers += `
  upstream u${i} { server unix:${c.socket}; keepalive 64; }
  server { listen 127.0.0.1:${c.port}; access_log off; location / { ${pass} } }`;
}
writeFileSync(
  join(work, "nginx.conf"),
  `user root; worker_processes 1; pid ${work}/nginx.pid; error_log ${work}/error.log;
events { worker_connections 4096; }
http { ${servers} }
`,
);
const nginx = start("nginx", ["-p", work, "-c", join(work, "nginx.conf"), "-g", "daemon off;"]);
await new Promise((r) => setTimeout(r, 500));
// The one nginx worker: its CPU per request tells what each upstream protocol costs nginx.
const nginxWorker = Number(
  readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, "utf8").trim().split(/\s+/)[0],
);

/** Runs wrk; returns requests/s and how many requests completed. */
function wrk(port: number, connections: number, duration: number): [number, number] {
  const out = execFileSync(
    "wrk",
    ["-t1", `-c${connections}`, `-d${duration}s`, `http://127.0.0.1:${port}/`],
    { encoding: "utf8" },
  );
  if (/Non-2xx|Socket errors/.test(out)) console.log(out);
  return [
    Number(/Requests\/sec:\s+([\d.]+)/.exec(out)![1]),
    Number(/(\d+) requests in/.exec(out)![1]),
  ];
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// Requests/s swing with whatever else runs on the machine; the CPU time the backend process
// spends per request does much less, so both are reported.
const results = new Map<string, { rps: number[]; cpu: number[]; nginx: number[] }>(
  contenders.map((c) => [c.name, { rps: [], cpu: [], nginx: [] }]),
);
for (const c of contenders) wrk(c.port!, 32, 1); // warm up the JIT
for (let round = 0; round < rounds; round++) {
  for (const c of contenders) {
    const before = cpuSeconds(c.child!.pid!);
    const nginxBefore = cpuSeconds(nginxWorker);
    const [rps, requests] = wrk(c.port!, 64, seconds);
    const entry = results.get(c.name)!;
    entry.rps.push(rps);
    entry.cpu.push(((cpuSeconds(c.child!.pid!) - before) / requests) * 1e6);
    entry.nginx.push(((cpuSeconds(nginxWorker) - nginxBefore) / requests) * 1e6);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(results.get("node http")!.rps);
console.log(
  `\nnginx (1 worker) -> one backend process over a unix socket, keep-alive; wrk -t1 -c64 -d${seconds}s, median of ${rounds}`,
);
for (const [name, { rps, cpu, nginx }] of results) {
  const m = median(rps);
  // php-fpm's work happens in its children, which the master's CPU time does not show.
  const perRequest = name.startsWith("php-fpm")
    ? "      n/a"
    : `${median(cpu).toFixed(1).padStart(6)} µs`;
  console.log(
    `${name.padEnd(22)} ${m.toFixed(0).padStart(7)} req/s  x${(m / base).toFixed(2)}  ` +
      `backend CPU/request ${perRequest}  nginx ${median(nginx).toFixed(1).padStart(5)} µs` +
      `   runs: ${rps.map((x) => x.toFixed(0)).join(" ")}`,
  );
}

// Memory of our process while 256 connections hammer it.
const ours = contenders[0]!;
const rss = (): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${ours.child!.pid}/status`, "utf8"))![1]) / 1024;
const idle = rss();
let peak = idle;
const sampler = setInterval(() => (peak = Math.max(peak, rss())), 100);
const load = spawn("wrk", ["-t1", "-c256", `-d${seconds}s`, `http://127.0.0.1:${ours.port}/`], {
  stdio: "ignore",
});
await new Promise((r) => load.on("exit", r));
clearInterval(sampler);
console.log(
  `\ncgi2wsgi fastcgi RSS: ${idle.toFixed(1)} MB idle, ${peak.toFixed(1)} MB peak under 256 connections`,
);
process.exit(0);
