import { existsSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { collectFiles, displayPath } from "../shared/files.js";
import { UsageError } from "../shared/errors.js";

/** The legacy scripts and migrated modules `verify` compares. */
export interface Pairs {
  pairs: Array<{ legacy: string; migrated: string }>;
  /** Legacy scripts with no counterpart under the migrated directory (relative paths). */
  missing: string[];
}

/**
 * Matches legacy scripts with their migrated modules: two files make one pair; two
 * directories pair the legacy directory's scripts (executable files, as a CGI server only
 * runs those) with the files at the same relative path under the migrated one.
 *
 * @example
 * const { pairs, missing } = findPairs("cgi-bin", "migrated/cgi-bin", process.cwd());
 */
export function findPairs(legacyArg: string, migratedArg: string, cwd: string): Pairs {
  const legacy = resolve(cwd, legacyArg);
  const migrated = resolve(cwd, migratedArg);
  for (const [arg, path] of [
    [legacyArg, legacy],
    [migratedArg, migrated],
  ] as const) {
    if (!existsSync(path)) throw new UsageError(`${arg} does not exist; give a file or directory`);
  }
  const legacyIsDir = statSync(legacy).isDirectory();
  if (legacyIsDir !== statSync(migrated).isDirectory()) {
    throw new UsageError(
      `${legacyArg} and ${migratedArg} must both be files or both be directories`,
    );
  }
  if (!legacyIsDir) return { pairs: [{ legacy, migrated }], missing: [] };
  const result: Pairs = { pairs: [], missing: [] };
  for (const file of collectFiles([legacy], { cwd }).files) {
    if ((statSync(file).mode & 0o111) === 0) continue;
    const counterpart = join(migrated, relative(legacy, file));
    if (existsSync(counterpart)) result.pairs.push({ legacy: file, migrated: counterpart });
    else result.missing.push(displayPath(file, cwd));
  }
  if (result.pairs.length === 0 && result.missing.length === 0) {
    throw new UsageError(
      `no CGI scripts under ${legacyArg}: verify runs executable scripts (chmod +x them, as a CGI server needs)`,
    );
  }
  return result;
}
