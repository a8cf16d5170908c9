import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { checkFile, type FileOutcome } from "./check-file.js";
import type { LintConfig } from "./config.js";
import type { LintReport } from "./types.js";

interface LintOptions {
  cwd: string;
  config: LintConfig;
  onProgress?: (done: number) => void;
}

// Below this many files a worker's start-up (a new isolate loading the parser) costs more
// than it saves.
const PARALLEL_THRESHOLD = 400;

/**
 * Checks each file once: read, a cheap text pre-check inside the detector, then one parse.
 * Files that cannot be read are collected as failures instead of stopping the run.
 *
 * @example
 * const report = lintFiles(files, { cwd, config, onProgress: progress.tick });
 */
export function lintFiles(files: string[], options: LintOptions): LintReport {
  const started = performance.now();
  const outcomes = files.map((file, index) => {
    const outcome = checkFile(file, options.cwd, options.config.rules);
    options.onProgress?.(index + 1);
    return outcome;
  });
  return toReport(outcomes, options.cwd, performance.now() - started);
}

/**
 * {@link lintFiles} spread over `threads` threads for large trees: the files are dealt
 * round-robin to `threads - 1` workers and the main thread (never more threads than cores),
 * and the results come back in the input order.
 *
 * @example
 * const report = await lintFilesParallel(files, { cwd, config, threads: 2 });
 */
export async function lintFilesParallel(
  files: string[],
  options: LintOptions & { threads: number },
): Promise<LintReport> {
  const threads = Math.min(options.threads, availableParallelism());
  if (threads < 2 || files.length < PARALLEL_THRESHOLD) return lintFiles(files, options);
  const started = performance.now();
  const shares: string[][] = Array.from({ length: threads }, () => []);
  files.forEach((file, index) => shares[index % threads]!.push(file));
  const pending = shares.slice(1).map(
    (share) =>
      new Promise<FileOutcome[]>((resolve, reject) => {
        const workerData = { files: share, cwd: options.cwd, rules: options.config.rules };
        const worker = fromSource
          ? new Worker(tsxBootstrap(), { eval: true, workerData })
          : new Worker(new URL("./lint-worker.js", import.meta.url), { workerData });
        worker.once("message", resolve);
        worker.once("error", reject);
      }),
  );
  const own = shares[0]!.map((file, index) => {
    const outcome = checkFile(file, options.cwd, options.config.rules);
    options.onProgress?.((index + 1) * threads);
    return outcome;
  });
  const all = [own, ...(await Promise.all(pending))];
  const outcomes = files.map((_, index) => all[index % threads]![Math.floor(index / threads)]!);
  return toReport(outcomes, options.cwd, performance.now() - started);
}

// Run from TypeScript sources (`pnpm cgi2wsgi`, tests), a worker does not inherit tsx's
// loader on Node 20, so it registers tsx itself before loading the worker module.
const fromSource = import.meta.url.endsWith(".ts");

function tsxBootstrap(): string {
  const api = import.meta.resolve("tsx/esm/api");
  const worker = new URL("./lint-worker.ts", import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

function toReport(outcomes: FileOutcome[], cwd: string, durationMs: number): LintReport {
  const report: LintReport = {
    cwd,
    results: [],
    fileCount: outcomes.length,
    failures: [],
    durationMs,
  };
  for (const outcome of outcomes) {
    if (outcome.kind === "checked") report.results.push(outcome.result);
    else report.failures.push({ path: outcome.path, reason: outcome.reason });
  }
  return report;
}
