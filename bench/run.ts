/**
 * Runs the benchmarks, each in its own process, one after another (they share two cores, so
 * never in parallel). Each prints ratios against a peer measured in the same run.
 *
 *   pnpm bench                 # all of them
 *   pnpm bench fastcgi lint    # some of them
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const all = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, "run.ts")))
  .map((entry) => entry.name)
  .sort();
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`no benchmark named ${unknown.join(", ")}; choose from: ${all.join(", ")}`);
  process.exit(2);
}
let failed = 0;
for (const name of chosen.length > 0 ? chosen : all) {
  console.log(`\n=== bench/${name} ===`);
  const result = spawnSync(
    process.execPath,
    ["--conditions=cgi2wsgi-source", "--import", "tsx", join(here, name, "run.ts")],
    { stdio: "inherit" },
  );
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${name} failed (exit ${result.status})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
