/**
 * Migrates every .js/.cjs/.mjs/.ts file of a tree in place with migrateSource, over `jobs`
 * threads (the main one and `jobs - 1` workers, as `cgi2wsgi migrate --jobs N` would); prints
 * the status counts.
 *
 *   node --conditions=source --import tsx bench/codemod/migrate-tree.ts <tree> [jobs]
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
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

if (isMainThread) {
  const [tree, jobsArg] = process.argv.slice(2) as [string, string | undefined];
  const jobs = Number(jobsArg ?? 1);
  const files = readdirSync(tree, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(c|m)?(j|t)s$/.test(file))
    .map((file) => join(tree, file));
  const shares = Array.from({ length: jobs }, (_, i) => files.filter((_, n) => n % jobs === i));
  // The main thread takes the first share itself: one start-up fewer than `jobs` workers.
  const results = await Promise.all([
    migrateFiles(shares[0]!),
    ...shares.slice(1).map(
      (share) =>
        new Promise<Counts>((resolve, reject) => {
          // Node 20 does not pass the main thread's module hooks (tsx) on to workers.
          const boot = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))})
            .then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
          const worker = new Worker(boot, { eval: true, workerData: share });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  ]);
  const total: Counts = {};
  for (const counts of results) {
    for (const [status, n] of Object.entries(counts)) total[status] = (total[status] ?? 0) + n;
  }
  console.log(JSON.stringify(total));
} else {
  parentPort!.postMessage(await migrateFiles(workerData as string[]));
}
