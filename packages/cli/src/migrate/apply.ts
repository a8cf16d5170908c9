import { readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { writeLauncher } from "../launcher/write-launcher.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import type { FileOutcome } from "./migrate-file.js";

/** What writing the outcomes did; `failures` name the file and the reason. */
export interface ApplyResult {
  written: string[];
  copied: number;
  launchers: string[];
  failures: Array<{ file: string; reason: string }>;
}

/**
 * Whether migrate has new text for a file (a failed file never does).
 *
 * @example
 * outcomes.filter(changes);
 */
export function changes(outcome: FileOutcome): boolean {
  return outcome.status !== "failed" && outcome.code !== outcome.original;
}

/**
 * Writes the outcomes: in place (only the changed files), or into `outDir`, which mirrors
 * the tree under `base` and receives every one of `allFiles`, the unchanged ones copied byte
 * for byte, each with its mode kept. Every write is atomic. With `launchers`, each rewritten
 * module gets its `name.fcgi` once the whole tree is in place (the bundle follows imports).
 *
 * @example
 * const result = await applyOutcomes(outcomes, { base: "/repo", outDir: "/repo/out", allFiles, launchers: false });
 */
export async function applyOutcomes(
  outcomes: FileOutcome[],
  options: { base: string; outDir?: string; allFiles: string[]; launchers: boolean },
): Promise<ApplyResult> {
  const result: ApplyResult = { written: [], copied: 0, launchers: [], failures: [] };
  const byFile = new Map(outcomes.map((outcome) => [outcome.file, outcome]));
  const rewritten: string[] = [];
  const attempt = async (file: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      result.failures.push({ file, reason: `cannot write it (${code ?? message.split("\n")[0]})` });
    }
  };
  const { outDir } = options;
  const files = outDir ? options.allFiles : outcomes.filter(changes).map((o) => o.file);
  for (const file of files) {
    const target = outDir ? join(outDir, relative(options.base, file)) : file;
    const outcome = byFile.get(file);
    await attempt(file, async () => {
      const mode = (await stat(file)).mode & 0o7777;
      if (outcome && changes(outcome)) {
        await writeFileAtomic(target, outcome.code, { mode });
        result.written.push(target);
        rewritten.push(target);
      } else {
        await writeFileAtomic(target, await readFile(file), { mode });
        result.copied++;
      }
    });
  }
  if (options.launchers) {
    for (const module of rewritten) {
      await attempt(module, async () => {
        result.launchers.push(await writeLauncher(module));
      });
    }
  }
  return result;
}
