import { readFileSync } from "node:fs";
import { detectCgiUsage } from "@cgi2wsgi/codemod/detect";
import { displayPath } from "../shared/files.js";
import type { Severity } from "./config.js";
import type { FileResult, LintMessage } from "./types.js";

/** One file's outcome: its findings, or why it could not be read. */
export type FileOutcome =
  { kind: "checked"; result: FileResult } | { kind: "unreadable"; path: string; reason: string };

/**
 * Reads and checks one file (the detector pre-checks the text before parsing), applying the
 * configured severities. Shared by the main thread and the lint workers.
 *
 * @example
 * const outcome = checkFile("/repo/cgi-bin/a.js", "/repo", { "cgi-process-exit": "off" });
 */
export function checkFile(file: string, cwd: string, rules: Record<string, Severity>): FileOutcome {
  const path = displayPath(file, cwd);
  let code: string;
  try {
    code = readFileSync(file, "utf8");
  } catch (error) {
    const { code: errno, message } = error as NodeJS.ErrnoException;
    return {
      kind: "unreadable",
      path,
      reason: `cannot read ${path} (${errno ?? message}); check that it exists and is readable`,
    };
  }
  const messages: LintMessage[] = [];
  for (const finding of detectCgiUsage(code, { filename: file })) {
    const severity = rules[finding.rule] ?? "error";
    if (severity !== "off") messages.push({ ...finding, severity });
  }
  return { kind: "checked", result: { path, messages } };
}
