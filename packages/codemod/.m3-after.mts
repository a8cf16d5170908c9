import { isNodeScriptFile } from "/work/wt/issue12/packages/codemod/src/detect/index.ts";
import { cpSync, readFileSync, writeFileSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { migrateSource, verifyPair, readCases } from "/work/wt/issue12/packages/codemod/src/index.ts";
const old = new Set(readFileSync("/tmp/i12/oldnames.txt", "utf8").split("\n"));
const list = JSON.parse(readFileSync("/tmp/i12/scripts.json", "utf8")) as [string, string][];
const work = mkdtempSync("/work/wt/issue12/packages/codemod/.tmp-m3-");
const walk = (d: string): string[] => readdirSync(d).flatMap(e => statSync(join(d, e)).isDirectory() ? walk(join(d, e)) : [join(d, e)]);
let reqs = 0, eq = 0, silent = 0; const rows: string[] = [];
for (const [name, file] of list) {
  if (old.has(name)) continue;
  const src = `/work/wt/issue12/test-fixtures/${name}`; const dir = join(work, name);
  cpSync(src, dir, { recursive: true });
  const statuses = new Map<string, string>();
  for (const f of walk(dir)) {
    if (!isNodeScriptFile(f) || f.endsWith(".json")) continue;
    const r = await migrateSource(readFileSync(f, "utf8"), { filename: f });
    if (r.status === "migrated" || r.status === "needs-review") writeFileSync(f, r.code);
    statuses.set(relative(dir, f), r.status);
  }
  const script = relative(src, file.replace("/work/wt/issue12", "/work/wt/issue12"));
  const cases = readCases(join(src, "requests.json"));
  let report;
  try { report = await verifyPair(join(src, script), join(dir, script), cases); } catch (e) { rows.push(`${name}: harness error ${(e as Error).message.slice(0, 80)}`); continue; }
  const st = statuses.get(script) ?? "not found by discovery";
  const n = report.cases.filter((c) => c.differences.length === 0).length;
  reqs += report.cases.length; eq += n;
  if (st !== "needs-review") silent += report.cases.length - n;
  rows.push(`${name}: ${st} ${n}/${report.cases.length} equivalent`);
}
console.log(rows.join("\n")); console.log({ reqs, eq, silent });
