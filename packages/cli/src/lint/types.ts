import type { Finding } from "@cgi2wsgi/codemod/detect";

/** A finding with the severity the configuration gives its rule. */
export interface LintMessage extends Finding {
  severity: "error" | "warn";
}

/** The findings of one file; `path` is relative to the working directory, with `/`. */
export interface FileResult {
  path: string;
  messages: LintMessage[];
}

/** Everything a formatter needs. */
export interface LintReport {
  cwd: string;
  results: FileResult[];
  /** Files checked, with or without findings. */
  fileCount: number;
  /** Files that could not be read, with the reason. */
  failures: Array<{ path: string; reason: string }>;
  durationMs: number;
}

/**
 * Counts errors, warnings and fixable findings of a report.
 *
 * @example
 * const { errors, warnings } = countMessages(report.results);
 */
export function countMessages(results: FileResult[]): {
  errors: number;
  warnings: number;
  fixable: number;
} {
  let errors = 0;
  let warnings = 0;
  let fixable = 0;
  for (const result of results) {
    for (const message of result.messages) {
      if (message.severity === "error") errors++;
      else warnings++;
      if (message.fixable) fixable++;
    }
  }
  return { errors, warnings, fixable };
}
