import { compareAnswers, type AnswerDifference } from "@cgi2wsgi/runtime";
import type { CaseResponse } from "./types.js";

export { IGNORED_HEADERS } from "@cgi2wsgi/runtime";

/** One way two responses differ, for a report. */
export type Difference = AnswerDifference;

/**
 * Lists how two answers to the same request differ: status, headers (names compared
 * without case, values of a repeated header in order, `IGNORED_HEADERS` skipped)
 * and body bytes. When both are gateway error pages (a crash under CGI, a 500 from the
 * runtime) only their statuses are compared, since every server words its own page. The
 * runtime's `compareAnswers`, which `serve --shadow` judges by too.
 *
 * @example
 * compareResponses(legacy, migrated); // [] when equivalent
 * // [{ what: "header", name: "set-cookie", legacy: "a=1 | b=2", migrated: "a=1" }]
 */
export function compareResponses(legacy: CaseResponse, migrated: CaseResponse): Difference[] {
  return compareAnswers(legacy, migrated);
}
