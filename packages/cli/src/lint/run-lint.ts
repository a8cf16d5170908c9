import { readFileSync } from "node:fs";
import { detectCgiUsage } from "@cgi2wsgi/codemod/detect";
import { displayPath } from "../shared/files.js";
import type { LintConfig } from "./config.js";
import type { FileResult, LintMessage, LintReport } from "./types.js";

/**
 * Checks each file once: read, a cheap text pre-check inside the detector, then one parse.
 * Files that cannot be read are collected as failures instead of stopping the run.
 *
 * @example
 * const report = lintFiles(files, { cwd, config, onProgress: progress.tick });
 */
export function lintFiles(
  files: string[],
  options: { cwd: string; config: LintConfig; onProgress?: (done: number) => void },
): LintReport {
  const started = performance.now();
  const results: FileResult[] = [];
  const failures: LintReport["failures"] = [];
  for (const [index, file] of files.entries()) {
    const path = displayPath(file, options.cwd);
    let code: string;
    try {
      code = readFileSync(file, "utf8");
    } catch (error) {
      const { code: errno, message } = error as NodeJS.ErrnoException;
      failures.push({
        path,
        reason: `cannot read ${path} (${errno ?? message}); check that it exists and is readable`,
      });
      continue;
    }
    const messages: LintMessage[] = [];
    for (const finding of detectCgiUsage(code, { filename: file })) {
      const severity = options.config.rules[finding.rule] ?? "error";
      if (severity !== "off") messages.push({ ...finding, severity });
    }
    results.push({ path, messages });
    options.onProgress?.(index + 1);
  }
  return {
    cwd: options.cwd,
    results,
    fileCount: files.length,
    failures,
    durationMs: performance.now() - started,
  };
}
