import type { Headers } from "../types.js";

/** A whole response as a client received it, for {@link compareAnswers}. */
export interface Answer {
  /** `"NNN Reason"`. */
  status: string;
  headers: Headers;
  body: Uint8Array;
  /**
   * `gateway` when a server answered for the script (a crash, bad CGI output, a timeout):
   * every server words its own error page, so two of them are compared by status only.
   */
  origin?: "script" | "gateway";
}

/** One way two answers to the same request differ. */
export interface AnswerDifference {
  what: "status" | "header" | "body";
  /** For headers: the lower-cased name. */
  name?: string;
  legacy: string;
  migrated: string;
  /** For bodies: the offset of the first differing byte. */
  at?: number;
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
 * without case, the values of a repeated header in order, {@link IGNORED_HEADERS} skipped)
 * and body bytes, from the first one that differs. When both are gateway error pages only
 * their statuses are compared. `verify` and `serve --shadow` both judge by it.
 *
 * @example
 * compareAnswers(legacy, migrated); // [] when equivalent
 * // [{ what: "header", name: "set-cookie", legacy: "a=1 | b=2", migrated: "a=1" }]
 */
export function compareAnswers(legacy: Answer, migrated: Answer): AnswerDifference[] {
  const differences: AnswerDifference[] = [];
  if (legacy.status !== migrated.status) {
    differences.push({ what: "status", legacy: legacy.status, migrated: migrated.status });
  }
  if (legacy.origin === "gateway" && migrated.origin === "gateway") return differences;
  const a = groupHeaders(legacy.headers);
  const b = groupHeaders(migrated.headers);
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const left = a.get(name);
    const right = b.get(name);
    if (left?.join("\n") !== right?.join("\n")) {
      differences.push({
        what: "header",
        name,
        legacy: left ? left.join(" | ") : "(absent)",
        migrated: right ? right.join(" | ") : "(absent)",
      });
    }
  }
  if (!Buffer.from(legacy.body).equals(migrated.body)) {
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

function describeBodies(
  a: Uint8Array,
  b: Uint8Array,
): { legacy: string; migrated: string; at: number } {
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const excerpt = (bytes: Uint8Array): string =>
    `${bytes.length} bytes, from byte ${at}: ${JSON.stringify(Buffer.from(bytes.subarray(at, at + 60)).toString("latin1"))}`;
  return { legacy: excerpt(a), migrated: excerpt(b), at };
}
