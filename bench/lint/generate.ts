/**
 * Writes the benchmark tree: `total` JavaScript files, `cgi` of them legacy CGI scripts in
 * the shapes the corpus holds (env reads, aliases, destructuring, stdin bodies, header
 * blocks, exits), the rest ordinary modules (config, loggers, servers, utilities) that the
 * linters must read but not flag. Deterministic: the same arguments give the same tree.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CGI_TEMPLATES: Array<(n: number) => string> = [
  (n) => `#!/usr/bin/env node
// Greets the visitor ${n}.
var params = new URLSearchParams(process.env.QUERY_STRING || "");
var name = params.get("name") || "visitor ${n}";
console.log("Content-Type: text/html; charset=utf-8\\n");
console.log("<h1>Hello " + name.replace(/</g, "&lt;") + "</h1>");
console.log("<p>method " + process.env.REQUEST_METHOD + "</p>");
`,
  (n) => `#!/usr/bin/env node
"use strict";
const fs = require("fs");
const { REQUEST_METHOD: method = "GET", CONTENT_TYPE: type = "" } = process.env;
let body = "";
if (method === "POST") body = fs.readFileSync(0, "utf8");
const fields = type.includes("json") ? JSON.parse(body || "{}") : Object.fromEntries(new URLSearchParams(body));
if (!fields.email) {
  process.stdout.write("Status: 400 Bad Request\\r\\nContent-Type: text/plain\\r\\n\\r\\nemail required ${n}\\n");
  process.exit(0);
}
process.stdout.write("Status: 303 See Other\\r\\nLocation: /thanks/${n}\\r\\n\\r\\n");
`,
  (n) => `#!/usr/bin/env node
var env = process.env;
function header(name, value) {
  console.log(name + ": " + value);
}
console.log("Content-Type: application/json");
header("X-Request-Id", "${n}");
console.log("");
console.log(JSON.stringify({ ip: env.REMOTE_ADDR, agent: env.HTTP_USER_AGENT, path: env.PATH_INFO || "/" }));
`,
  (n) => `#!/usr/bin/env node
let chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  const text = Buffer.concat(chunks).toString("utf8");
  const words = text.split(/\\s+/).filter(Boolean).length;
  console.log("Content-Type: text/plain");
  console.log("X-Words: %d", words);
  console.log();
  console.log("words=%d script=${n} length=%s", words, process.env.CONTENT_LENGTH);
});
`,
  (n) => `#!/usr/bin/env node
const cookies = Object.fromEntries(
  (process.env.HTTP_COOKIE || "").split(/;\\s*/).filter(Boolean).map((c) => c.split("=")),
);
const visits = Number(cookies.visits || 0) + 1;
function die(status, message) {
  console.log("Status: " + status);
  console.log("Content-Type: text/plain\\n");
  console.log(message);
  process.exit(0);
}
if (visits > 1000 + ${n}) die("429 Too Many Requests", "slow down");
console.log("Set-Cookie: visits=" + visits + "; Path=/");
console.log("Content-Type: text/plain\\n");
console.log("visit number " + visits);
`,
  (n) => `import { env } from "node:process";
const route = (env.PATH_INFO || "/").split("/").filter(Boolean);
const handlers = {
  list: () => ["a", "b", "c"].map((x) => x + ${n}),
  item: (id) => ({ id, at: env.SERVER_NAME }),
};
const [name = "list", id] = route;
const result = handlers[name] ? handlers[name](id) : null;
process.stdout.write(\`Status: \${result ? 200 : 404}\\nContent-Type: application/json\\n\\n\`);
process.stdout.write(JSON.stringify(result));
`,
];

const ORDINARY_TEMPLATES: Array<(n: number) => string> = [
  (n) => `"use strict";
// Configuration for service ${n}.
const env = process.env;
module.exports = {
  mode: env.NODE_ENV || "development",
  port: Number(process.env.PORT || ${3000 + (n % 1000)}),
  database: process.env.DATABASE_URL || "postgres://localhost/app${n}",
  debug: Object.keys(process.env).filter((key) => key.startsWith("DEBUG_")),
  retries: ${n % 7},
};
`,
  (n) => `// Logger ${n}: levels, timestamps and a summary line.
const LEVELS = ["debug", "info", "warn", "error"];
function log(level, message, fields = {}) {
  if (LEVELS.indexOf(level) < LEVELS.indexOf(process.env.LOG_LEVEL || "info")) return;
  console.log(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
}
function summary(stats) {
  console.log("Summary: " + stats.count);
  console.log("Errors: " + stats.errors);
  console.log();
}
module.exports = { log, summary, id: ${n} };
`,
  (n) => `import http from "node:http";
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ path: url.pathname, service: ${n} }));
});
server.listen(Number(process.env.PORT || 8080));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`,
  (n) => `/**
 * Utilities ${n}: small pure helpers.
 */
export function chunk(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
export function debounce(fn, ms = ${n % 500}) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
export const sum = (xs) => xs.reduce((a, b) => a + b, 0);
export class Cache${n} {
  #map = new Map();
  get(key) { return this.#map.get(key); }
  set(key, value) { this.#map.set(key, value); return this; }
}
`,
  (n) => `export function application(environ, start_response) {
  const name = new URLSearchParams(environ.QUERY_STRING).get("name") ?? "app ${n}";
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return ["hello " + name + " " + environ["wsgi.input"].read().length];
}
`,
];

/**
 * Writes the tree under `dir`, emptied first.
 *
 * @example
 * generateTree("bench/.work/lint-tree", { total: 5000, cgi: 2000 });
 */
export function generateTree(dir: string, options: { total: number; cgi: number }): void {
  rmSync(dir, { recursive: true, force: true });
  const extensions = [".js", ".cjs", ".mjs"];
  const seen = { cgi: 0, ordinary: 0 };
  for (let n = 0; n < options.total; n++) {
    // Spreads exactly `cgi` scripts evenly over the tree.
    const isCgi =
      Math.floor(((n + 1) * options.cgi) / options.total) >
      Math.floor((n * options.cgi) / options.total);
    const templates = isCgi ? CGI_TEMPLATES : ORDINARY_TEMPLATES;
    // Each kind counts on its own, so every template of a kind is used evenly.
    const index = (isCgi ? seen.cgi++ : seen.ordinary++) % templates.length;
    let code = templates[index]!(n);
    // ES module syntax in the templates that use it; CommonJS (.cjs/.js) otherwise.
    const esm = /^(import|export)\b/m.test(code);
    const ext = esm ? ".mjs" : extensions[n % 2]!;
    code = code.replace(/^#!.*\n/, n % 3 === 0 ? "$&" : "");
    const folder = join(dir, isCgi ? "cgi-bin" : "lib", `group-${n % 50}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${isCgi ? "script" : "module"}-${n}${ext}`), code);
  }
}
