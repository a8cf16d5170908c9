import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { writeLauncher } from "../launcher/write-launcher.js";
import { writeFileAtomic } from "../shared/atomic-write.js";
import type { FileOutcome } from "./migrate-file.js";

/** What writing the outcomes did; `failures` name the input file, the rule and the reason. */
export interface ApplyResult {
  written: string[];
  copied: number;
  launchers: string[];
  failures: Array<{ file: string; rule: "write-failed" | "launcher-failed"; reason: string }>;
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
 * for byte, each with its mode kept. A file that exists and that git does not hold as it is
 * (`originalsInGit` false: --allow-dirty, no repository, an existing out dir) is replaced
 * atomically; others are written directly, since an interrupted write there loses nothing
 * (`git checkout` or running migrate again restores it) and an atomic replace costs a new
 * inode and a rename per file, a tenth of the whole run. With `launchers`, each rewritten
 * module gets its `name.fcgi` once the whole tree is in place (the bundle follows imports).
 *
 * @example
 * const result = await applyOutcomes(outcomes, { base: "/repo", outDir: "/repo/out", allFiles, launchers: false });
 */
export async function applyOutcomes(
  outcomes: FileOutcome[],
  options: {
    base: string;
    outDir?: string;
    allFiles: string[];
    launchers: boolean;
    originalsInGit?: boolean;
  },
): Promise<ApplyResult> {
  const result: ApplyResult = { written: [], copied: 0, launchers: [], failures: [] };
  const byFile = new Map(outcomes.map((outcome) => [outcome.file, outcome]));
  // Each rewritten module as written, with the input file it came from.
  const rewritten: Array<{ target: string; file: string }> = [];
  const attempt = async (file: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      result.failures.push({
        file,
        rule: "write-failed",
        reason: `cannot write it (${code ?? message.split("\n")[0]}); check the permissions of the target`,
      });
    }
  };
  const { outDir } = options;
  const files = outDir ? options.allFiles : outcomes.filter(changes).map((o) => o.file);
  for (const file of files) {
    const target = outDir ? join(outDir, relative(options.base, file)) : file;
    const outcome = byFile.get(file);
    await attempt(file, async () => {
      const mode = statSync(file).mode & 0o7777;
      const data = outcome && changes(outcome) ? outcome.code : readFileSync(file);
      if (!options.originalsInGit && existsSync(target)) {
        await writeFileAtomic(target, data, { mode });
      } else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, data, { mode });
        // The umask trims the mode given to open().
        chmodSync(target, mode);
      }
      if (typeof data === "string") {
        result.written.push(target);
        rewritten.push({ target, file });
      } else {
        result.copied++;
      }
    });
  }
  if (options.launchers) {
    for (const { target, file } of rewritten) {
      try {
        result.launchers.push(await writeLauncher(target));
      } catch (error) {
        const reason = (error as Error).message.split("\n")[0];
        result.failures.push({
          file,
          rule: "launcher-failed",
          reason: `cannot write its launcher (${reason}); fix the module, or run without --launchers`,
        });
      }
    }
  }
  return result;
}
