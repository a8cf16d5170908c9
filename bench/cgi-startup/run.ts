/**
 * CGI start-up cost: a request served by the CGI gateway (the runtime bundled with a hello
 * world into one CommonJS file, as a launcher is: an ES module entry costs Node ~25 ms more to start) against `node -e ''` and against the legacy script
 * it replaces, each started many times in alternation. Prints medians and ratios.
 *
 *   pnpm bench cgi-startup
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleForNode } from "../bundle.js";
import { writeLauncher } from "../../packages/cli/src/launcher/write-launcher.js";

const runs = Number(process.argv[2] ?? 40);
const here = fileURLToPath(new URL(".", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "cgi-startup-"));
const gateway = join(dir, "hello.cjs");
await bundleForNode({
  entryPoints: [join(here, "hello-app.ts")],
  outfile: gateway,
  format: "cjs",
  logLevel: "silent",
});

const moduleCopy = join(dir, "hello.ts");
await writeFile(moduleCopy, await readFile(join(here, "hello-module.ts")));
const launcher = await writeLauncher(moduleCopy);

const env = { PATH: process.env.PATH, GATEWAY_INTERFACE: "CGI/1.1", REQUEST_METHOD: "GET" };
const subjects: Record<string, string[]> = {
  "node -e ''": ["-e", ""],
  "legacy CGI script": [join(here, "legacy-hello.cjs")],
  "cgi2wsgi CGI gateway": [gateway],
};
// The launcher is a shell line that execs node on itself, so it is started as a program.
const programs: Record<string, string> = { "cgi2wsgi .fcgi launcher": launcher };
const commands: Array<[string, string, string[]]> = [
  ...Object.entries(subjects).map(
    ([name, args]) => [name, process.execPath, args] as [string, string, string[]],
  ),
  ...Object.entries(programs).map(([name, path]) => [name, path, []] as [string, string, string[]]),
];
const times: Record<string, number[]> = Object.fromEntries(commands.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, command, args] of commands) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { env, input: "" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    times[name]!.push(ms);
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times["node -e ''"]!);
const legacy = median(times["legacy CGI script"]!);
console.log(`CGI start-up, median of ${runs} runs each (2 cores, same run)`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `${name.padEnd(22)} ${m.toFixed(1).padStart(7)} ms   ` +
      `x${(m / base).toFixed(2)} of node -e ''   x${(m / legacy).toFixed(2)} of legacy`,
  );
}
