import { createHash } from "node:crypto";
import type { LintReport } from "../types.js";

const SEVERITY = { error: "major", warn: "minor" } as const;

/**
 * A GitLab code quality report (the Code Climate issue subset GitLab reads): one issue per
 * finding with its rule as `check_name`, and unreadable files as `critical` issues. The
 * fingerprint hashes path, rule, position and message, so GitLab matches a finding that
 * stays put across pipelines and shows moved or new ones as new.
 *
 * @example
 * // [{"description":"reads the CGI meta-variable ...","check_name":"cgi-env-read",...}]
 * writeFileSync("gl-code-quality-report.json", formatGitlab(report));
 */
export function formatGitlab(report: LintReport): string {
  const issues = report.results.flatMap((result) =>
    result.messages.map((message) =>
      issue(
        message.rule,
        message.fixable ? `${message.message} (fixable: run cgi2wsgi migrate)` : message.message,
        SEVERITY[message.severity],
        result.path,
        message.line,
        message.column,
      ),
    ),
  );
  for (const failure of report.failures) {
    issues.push(issue("unreadable", failure.reason, "critical", failure.path, 1, 1));
  }
  return JSON.stringify(issues, null, 2) + "\n";
}

function issue(
  rule: string,
  description: string,
  severity: string,
  path: string,
  line: number,
  column: number,
) {
  const fingerprint = createHash("sha256")
    .update(JSON.stringify([path, rule, line, column, description]))
    .digest("hex");
  return {
    type: "issue",
    check_name: rule,
    description,
    categories: ["Compatibility"],
    severity,
    fingerprint,
    location: { path, lines: { begin: line } },
  };
}
