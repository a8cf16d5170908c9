/**
 * Migrates every .js/.cjs/.mjs/.ts file of a tree in place with migrateSource, in `jobs`
 * processes (this one and `jobs - 1` forked ones, as `cgi2wsgi migrate --jobs N` might;
 * under tsx a worker thread starts about twice as slowly as a process); prints the counts.
 *
 *   node --conditions=cgi2wsgi-source --import tsx bench/codemod/migrate-tree.ts <tree> [jobs]
 * (bench/codemod/run.ts runs it bundled with esbuild instead, as built JavaScript)
 */
import { fork } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrateSource } from "@cgi2wsgi/codemod";

type Counts = Record<string, number>;

async function migrateFiles(files: string[]): Promise<Counts> {
  const counts: Counts = {};
  for (const file of files) {
    const result = await migrateSource(readFileSync(file, "utf8"), { filename: file });
    counts[result.status] = (counts[result.status] ?? 0) + 1;
    if (result.status === "migrated" || result.status === "needs-review") {
      writeFileSync(file, result.code);
    }
  }
  return counts;
}

function forked(files: string[]): Promise<Counts> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child"]);
    child.once("message", (counts) => {
      resolve(counts as Counts);
      child.disconnect();
    });
    child.once("error", reject);
    child.send(files);
  });
}

if (process.argv[2] === "--child") {
  process.once("message", async (files) => {
    process.send!(await migrateFiles(files as string[]));
  });
} else {
  const [tree, jobsArg] = process.argv.slice(2) as [string, string | undefined];
  const jobs = Number(jobsArg ?? 1);
  const files = readdirSync(tree, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(c|m)?(j|t)s$/.test(file))
    .map((file) => join(tree, file));
  const shares = Array.from({ length: jobs }, (_, i) => files.filter((_, n) => n % jobs === i));
  const results = await Promise.all([...shares.slice(1).map(forked), migrateFiles(shares[0]!)]);
  const total: Counts = {};
  for (const counts of results) {
    for (const [status, n] of Object.entries(counts)) total[status] = (total[status] ?? 0) + n;
  }
  console.log(JSON.stringify(total));
}
