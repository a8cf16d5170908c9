import type { Headers } from "@cgi2wsgi/runtime";
import type { CaseResponse } from "./types.js";

/** One way two responses differ, for a report. */
export interface Difference {
  what: "status" | "header" | "body";
  /** For headers: the lower-cased name. */
  name?: string;
  legacy: string;
  migrated: string;
}

/** Headers that front servers add, drop or rewrite on their own, so they prove nothing. */
export const IGNORED_HEADERS: ReadonlySet<string> = new Set([
  "date",
  "server",
  "connection",
  "transfer-encoding",
  "content-length",
  "keep-alive",
]);

/**
 * Lists how two answers to the same request differ: status, headers (names compared
 * without case, values of a repeated header in order, {@link IGNORED_HEADERS} skipped)
 * and body bytes. When both are gateway error pages (a crash under CGI, a 500 from the
 * runtime) only their statuses are compared, since every server words its own page.
 *
 * @example
 * compareResponses(legacy, migrated); // [] when equivalent
 * // [{ what: "header", name: "set-cookie", legacy: "a=1 | b=2", migrated: "a=1" }]
 */
export function compareResponses(legacy: CaseResponse, migrated: CaseResponse): Difference[] {
  const differences: Difference[] = [];
  if (legacy.status !== migrated.status) {
    differences.push({ what: "status", legacy: legacy.status, migrated: migrated.status });
  }
  if (legacy.origin === "gateway" && migrated.origin === "gateway") return differences;
  const a = groupHeaders(legacy.headers);
  const b = groupHeaders(migrated.headers);
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const left = (a.get(name) ?? []).join(" | ");
    const right = (b.get(name) ?? []).join(" | ");
    if (left !== right || a.has(name) !== b.has(name)) {
      differences.push({
        what: "header",
        name,
        legacy: shownHeader(a, name),
        migrated: shownHeader(b, name),
      });
    }
  }
  if (!legacy.body.equals(migrated.body)) {
    differences.push({ what: "body", ...describeBodies(legacy.body, migrated.body) });
  }
  return differences;
}

function groupHeaders(headers: Headers): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (IGNORED_HEADERS.has(key)) continue;
    groups.set(key, [...(groups.get(key) ?? []), value]);
  }
  return groups;
}

function shownHeader(groups: Map<string, string[]>, name: string): string {
  const values = groups.get(name);
  return values ? values.join(" | ") : "(absent)";
}

function describeBodies(a: Buffer, b: Buffer): { legacy: string; migrated: string } {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const excerpt = (buf: Buffer): string =>
    `${buf.length} bytes, from byte ${at}: ${JSON.stringify(buf.subarray(at, at + 60).toString("latin1"))}`;
  return { legacy: excerpt(a), migrated: excerpt(b) };
}
