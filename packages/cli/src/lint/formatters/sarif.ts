import { pathToFileURL } from "node:url";
import { RULES } from "@cgi2wsgi/codemod/detect";
import { cliVersion } from "../../shared/version.js";
import type { LintReport, LintMessage } from "../types.js";

const LEVEL = { error: "error", warn: "warning" } as const;

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: every rule declared on the driver (with
 * its help and whether migrate fixes it), results pointing at paths relative to
 * `%SRCROOT%` (the working directory), UTF-16 columns as the detector counts them, and
 * unreadable files as tool notifications.
 *
 * @example
 * writeFileSync("cgi2wsgi.sarif", formatSarif(report, { rules: config.rules }));
 */
export function formatSarif(
  report: LintReport,
  options: { rules: Record<string, "error" | "warn" | "off"> },
): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id as string, index]));
  const results = report.results.flatMap((result) =>
    result.messages.map((message) => sarifResult(result.path, message, ruleIndex)),
  );
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "cgi2wsgi",
            version: cliVersion(),
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.summary },
              fullDescription: { text: `${rule.summary}. ${rule.help}` },
              help: { text: rule.help },
              defaultConfiguration: {
                level:
                  options.rules[rule.id] === "off"
                    ? "none"
                    : LEVEL[options.rules[rule.id] === "warn" ? "warn" : "error"],
              },
              properties: { fixable: rule.fixable, tags: ["cgi", "migration"] },
            })),
          },
        },
        originalUriBaseIds: {
          "%SRCROOT%": { uri: pathToFileURL(report.cwd).href.replace(/\/?$/, "/") },
        },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            executionSuccessful: report.failures.length === 0,
            toolExecutionNotifications: report.failures.map((failure) => ({
              level: "error",
              message: { text: failure.reason },
              locations: [{ physicalLocation: { artifactLocation: artifact(failure.path) } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}

function sarifResult(path: string, message: LintMessage, ruleIndex: Map<string, number>) {
  return {
    ruleId: message.rule,
    ruleIndex: ruleIndex.get(message.rule),
    level: LEVEL[message.severity],
    message: { text: message.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifact(path),
          region: {
            startLine: message.line,
            startColumn: message.column,
            ...(message.endLine !== undefined ? { endLine: message.endLine } : {}),
            ...(message.endColumn !== undefined ? { endColumn: message.endColumn } : {}),
          },
        },
      },
    ],
    properties: { fixable: message.fixable },
  };
}

// Paths inside the working directory are relative URIs against %SRCROOT%; others (given
// explicitly on the command line) are absolute file URIs.
function artifact(path: string): { uri: string; uriBaseId?: string } {
  if (path.startsWith("/")) return { uri: pathToFileURL(path).href };
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
}
