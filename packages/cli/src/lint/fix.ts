import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../shared/atomic-write.js";
import type { FileResult } from "./types.js";

/** What `lint --fix` did. */
export interface FixOutcome {
  /** Absolute paths of the files rewritten. */
  written: string[];
  /** Rewritten files that hold `TODO(cgi2wsgi)` marks for a person to check. */
  needsReview: string[];
  /** Files migrate refused, with its reason. */
  failed: Array<{ path: string; reason: string }>;
}

/**
 * Runs `cgi2wsgi migrate`'s engine on every file with a fixable finding and writes the
 * result atomically (a temporary file renamed over the original, mode kept). The migrate
 * engine loads only here: plain lint runs do not pay for prettier and ts-morph.
 *
 * @example
 * const outcome = await fixFiles(report.results, cwd);
 */
export async function fixFiles(results: FileResult[], cwd: string): Promise<FixOutcome> {
  const { migrateSource } = await import("@cgi2wsgi/codemod");
  const outcome: FixOutcome = { written: [], needsReview: [], failed: [] };
  for (const result of results) {
    if (!result.messages.some((message) => message.fixable)) continue;
    const file = join(cwd, result.path);
    const code = readFileSync(file, "utf8");
    const migrated = await migrateSource(code, { filename: file });
    if (migrated.status === "failed") {
      const reason = migrated.diagnostics.map((d) => d.message).join("; ") || "migrate failed";
      outcome.failed.push({ path: result.path, reason });
      continue;
    }
    if (migrated.code === code) continue;
    await writeFileAtomic(file, migrated.code, { mode: statSync(file).mode & 0o7777 });
    outcome.written.push(file);
    if (migrated.status === "needs-review") outcome.needsReview.push(result.path);
  }
  return outcome;
}
