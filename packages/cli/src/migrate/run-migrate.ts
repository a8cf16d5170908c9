import { Worker } from "node:worker_threads";
import { migrateFile, type FileOutcome } from "./migrate-file.js";

/** Options of {@link migrateFiles}. */
export interface RunOptions {
  /** Threads in all, this one included; 1 migrates on the main thread only. */
  threads: number;
  onProgress?: (done: number) => void;
}

/**
 * Migrates every file, on the main thread alone or with a pool of worker threads, each
 * taking the next file as soon as it is free; outcomes come back in the input order.
 *
 * @example
 * const outcomes = await migrateFiles(files, { threads: 4, onProgress: progress.tick });
 */
export async function migrateFiles(files: string[], options: RunOptions): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = new Array(files.length);
  let done = 0;
  const record = (index: number, outcome: FileOutcome) => {
    outcomes[index] = outcome;
    options.onProgress?.(++done);
  };
  const threads = Math.min(options.threads, files.length);
  if (threads <= 1) {
    for (const [index, file] of files.entries()) record(index, await migrateFile(file));
    return outcomes;
  }
  // `threads - 1` workers and this thread take the next file whenever they are free: a
  // worker's start-up (a new isolate loading the parser and prettier) is paid once less.
  let next = 0;
  const workers = Array.from({ length: threads - 1 }, () => startWorker());
  const own = async () => {
    while (next < files.length) {
      const id = next++;
      record(id, await migrateFile(files[id]!));
    }
  };
  try {
    await Promise.all([
      ...workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next === files.length) return resolve();
              const id = next++;
              worker.postMessage({ id, file: files[id] });
            };
            worker.on("message", ({ id, outcome }: { id: number; outcome: FileOutcome }) => {
              record(id, outcome);
              feed();
            });
            worker.once("error", reject);
            worker.once("exit", (code) => {
              if (next < files.length || code !== 0) {
                reject(new Error(`a migrate worker exited with code ${code}`));
              }
            });
            worker.once("online", feed);
          }),
      ),
      own(),
    ]);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}

// Run from TypeScript sources (`pnpm cgi2wsgi`, tests), a worker does not inherit tsx's
// loader on Node 20, so it registers tsx itself before loading the worker module.
const fromSource = import.meta.url.endsWith(".ts");

function startWorker(): Worker {
  if (!fromSource) return new Worker(new URL("./migrate-worker.js", import.meta.url));
  const api = import.meta.resolve("tsx/esm/api");
  const worker = new URL("./migrate-worker.ts", import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`,
    { eval: true },
  );
}
