import type { LintReport } from "../types.js";

// Workflow commands escape their data and their properties differently.
const escapeData = (text: string) =>
  text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

/**
 * GitHub Actions workflow commands, one `::error` or `::warning` annotation per finding,
 * so findings show on the pull request's changed lines.
 *
 * @example
 * // ::error file=cgi-bin/a.js,line=3,col=7,endLine=3,endColumn=30,title=cgi-env-read::reads ...
 * io.stdout(formatGithub(report));
 */
export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const result of report.results) {
    for (const message of result.messages) {
      const properties = [
        `file=${escapeProperty(result.path)}`,
        `line=${message.line}`,
        `col=${message.column}`,
        ...(message.endLine !== undefined ? [`endLine=${message.endLine}`] : []),
        ...(message.endColumn !== undefined && message.endLine === message.line
          ? [`endColumn=${message.endColumn}`]
          : []),
        `title=${escapeProperty(`cgi2wsgi ${message.rule}`)}`,
      ];
      const fix = message.fixable ? " (fixable: run cgi2wsgi migrate)" : "";
      const command = message.severity === "error" ? "error" : "warning";
      lines.push(`::${command} ${properties.join(",")}::${escapeData(message.message + fix)}`);
    }
  }
  for (const failure of report.failures) {
    lines.push(
      `::error file=${escapeProperty(failure.path)},title=cgi2wsgi::${escapeData(failure.reason)}`,
    );
  }
  return lines.length > 0 ? lines.join("\n") + "\n" : "";
}
