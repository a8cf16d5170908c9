import type { AstComment } from "./ast.js";

const DIRECTIVE = "cgi2wsgi-ignore-next-line";

/** Lines whose findings are silenced: all rules (`"*"`) or the listed rule ids. */
export type Suppressions = Map<number, Set<string>>;

/**
 * Reads `// cgi2wsgi-ignore-next-line [rule, ...] [-- reason]` comments (block comments
 * too). Without rule ids every finding on the next line is silenced.
 *
 * @example
 * const silenced = collectSuppressions(parsed.comments);
 * isSuppressed(silenced, 12, "cgi-env-read");
 */
export function collectSuppressions(comments: AstComment[]): Suppressions {
  const lines: Suppressions = new Map();
  for (const comment of comments) {
    const text = comment.value.trim();
    if (!text.startsWith(DIRECTIVE) || !comment.loc) continue;
    const rest = text.slice(DIRECTIVE.length);
    if (rest !== "" && !/^\s/.test(rest)) continue;
    const rules = rest
      .split("--")[0]!
      .split(/[\s,]+/)
      .filter(Boolean);
    const line = comment.loc.end.line + 1;
    const set = lines.get(line) ?? new Set<string>();
    for (const rule of rules.length > 0 ? rules : ["*"]) set.add(rule);
    lines.set(line, set);
  }
  return lines;
}

/**
 * Whether a finding of `rule` starting on `line` is silenced.
 *
 * @example
 * isSuppressed(new Map([[3, new Set(["*"])]]), 3, "cgi-env-read"); // true
 */
export function isSuppressed(suppressions: Suppressions, line: number, rule: string): boolean {
  const rules = suppressions.get(line);
  return rules !== undefined && (rules.has("*") || rules.has(rule));
}
