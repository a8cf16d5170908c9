import { readFileSync } from "node:fs";
import { migrateSource, type Diagnostic, type MigrateResult } from "@cgi2wsgi/codemod";
import { resolveConfig } from "prettier";

/** What became of one file: migrate's result with the text it started from. */
export interface FileOutcome {
  /** Absolute path. */
  file: string;
  status: MigrateResult["status"];
  diagnostics: Diagnostic[];
  /** The text read, and the text to write (equal when nothing changes). */
  original: string;
  code: string;
}

/**
 * Reads one file and runs migrate on it with the project's prettier options (resolved for
 * that file, so nested configs and overrides apply). An unreadable file or a broken prettier
 * config fails that file only, with a reason that says what to fix.
 *
 * @example
 * const outcome = await migrateFile("/repo/cgi-bin/form.cjs");
 * if (outcome.status !== "failed" && outcome.code !== outcome.original) write(outcome);
 */
export async function migrateFile(file: string): Promise<FileOutcome> {
  let original: string;
  try {
    // Synchronous: a small file is read in one call instead of four trips to the thread pool.
    original = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return failed(file, "", "unreadable", `cannot read the file (${code}); check its permissions`);
  }
  let prettierConfig;
  try {
    prettierConfig = (await resolveConfig(file, { editorconfig: true })) ?? undefined;
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    return failed(file, original, "prettier-config", `cannot read its prettier config (${reason})`);
  }
  try {
    const result = await migrateSource(original, { filename: file, prettierConfig });
    return { file, original, ...result };
  } catch (error) {
    // migrateSource fails files itself; this is a bug of ours, kept to this one file.
    const reason = (error as Error).message.split("\n")[0];
    return failed(
      file,
      original,
      "internal-error",
      `migrate crashed (${reason}); please report it`,
    );
  }
}

function failed(file: string, original: string, rule: string, message: string): FileOutcome {
  return {
    file,
    status: "failed",
    diagnostics: [{ rule, message, line: 1, column: 1 }],
    original,
    code: original,
  };
}
