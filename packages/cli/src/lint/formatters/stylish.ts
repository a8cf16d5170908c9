import type { Colors } from "../../shared/color.js";
import { countMessages, type LintReport } from "../types.js";

/**
 * ESLint's stylish layout: a block per file with `line:col  severity  message  rule`, and a
 * summary that says how many findings `cgi2wsgi migrate` (or `lint --fix`) would fix.
 *
 * @example
 * io.stdout(formatStylish(report, createColors(true)));
 */
export function formatStylish(report: LintReport, colors: Colors): string {
  const out: string[] = [];
  for (const result of report.results) {
    if (result.messages.length === 0) continue;
    out.push("", colors.underline(result.path));
    const rows = result.messages.map((message) => [
      `${message.line}:${message.column}`,
      message.severity === "error" ? colors.red("error") : colors.yellow("warning"),
      message.message + (message.fixable ? colors.dim(" (fixable)") : ""),
      colors.dim(message.rule),
    ]);
    const position = Math.max(...rows.map((row) => row[0]!.length));
    const severity = Math.max(...result.messages.map((m) => (m.severity === "error" ? 5 : 7)));
    for (const [where, level, text, rule] of rows) {
      const pad = severity - (level!.includes("warning") ? 7 : 5);
      out.push(
        `  ${colors.dim(where!.padEnd(position))}  ${level}${" ".repeat(pad)}  ${text}  ${rule}`,
      );
    }
  }
  for (const failure of report.failures) {
    out.push(
      "",
      colors.underline(failure.path),
      `  ${colors.red("cannot read")}  ${failure.reason}`,
    );
  }
  const { errors, warnings, fixable } = countMessages(report.results);
  const total = errors + warnings;
  const seconds = (report.durationMs / 1000).toFixed(2);
  if (total === 0) {
    out.push(
      `${colors.green("✔")} no CGI usage in ${report.fileCount} file${report.fileCount === 1 ? "" : "s"} (${seconds}s)`,
    );
    return out.join("\n") + "\n";
  }
  const files = report.results.filter((result) => result.messages.length > 0).length;
  const mark = errors > 0 ? colors.red("✖") : colors.yellow("⚠");
  out.push(
    "",
    colors.bold(
      `${mark} ${total} problem${total === 1 ? "" : "s"} (${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}) in ${files} of ${report.fileCount} files (${seconds}s)`,
    ),
  );
  if (fixable > 0) {
    out.push(
      `  ${fixable} of them can be fixed by \`cgi2wsgi migrate\` (or \`cgi2wsgi lint --fix\`)`,
    );
  }
  return out.join("\n") + "\n";
}
