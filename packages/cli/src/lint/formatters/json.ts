import { countMessages, type LintReport } from "../types.js";

/**
 * A JSON report for scripts: every file with findings, its messages, and totals.
 *
 * @example
 * // {"files":[{"path":"cgi-bin/a.js","messages":[{"rule":"cgi-env-read",...}]}],"summary":{...}}
 * writeFileSync("lint.json", formatJson(report));
 */
export function formatJson(report: LintReport): string {
  const { errors, warnings, fixable } = countMessages(report.results);
  const files = report.results
    .filter((result) => result.messages.length > 0)
    .map((result) => ({
      path: result.path,
      messages: result.messages.map((message) => ({
        rule: message.rule,
        severity: message.severity,
        message: message.message,
        line: message.line,
        column: message.column,
        endLine: message.endLine,
        endColumn: message.endColumn,
        fixable: message.fixable,
      })),
    }));
  const summary = {
    files: report.fileCount,
    filesWithFindings: files.length,
    errors,
    warnings,
    fixable,
    unreadable: report.failures,
    durationMs: Math.round(report.durationMs),
  };
  return JSON.stringify({ files, summary }, null, 2) + "\n";
}
