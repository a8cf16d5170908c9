import { parseSource } from "./ast.js";
import { analyzeProgram, type RawFinding } from "./analyze.js";
import { metaVariableNames } from "./meta-variables.js";
import { ruleInfo, type RuleId } from "./rules.js";
import { collectSuppressions, isSuppressed } from "./suppress.js";

/** One place where a file uses CGI, with 1-based lines and columns. */
export interface Finding {
  rule: RuleId;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** Whether `cgi2wsgi migrate` rewrites this usage. */
  fixable: boolean;
}

/** Options of {@link detectCgiUsage}. */
export interface DetectOptions {
  /** Chooses the parser plugins: `.ts`/`.mts`/`.cts` TypeScript, `.tsx` TypeScript + JSX. */
  filename: string;
}

// What each rule needs spelled out in the source, so that a file without it is skipped
// without parsing: env reads name `process` (process.env, node:process) and a meta-variable
// (upper case); header blocks a response header and `console` or `stdout` (or only
// process.stdout, for headers written in pieces); the swapped signature its parameter list.
const META_NAMES = new RegExp(`${metaVariableNames().join("|")}|HTTP_|HTTPS|stdout`);
const HEADERS = /content-type\s*:|status\s*:|location\s*:|HTTP\/1\./i;
const OUTPUT = /console|stdout/;
const SWAPPED = /start_?response\b[^,()]*,\s*env/i;

/**
 * A cheap text test: false means the file cannot hold CGI usage, so it need not be parsed.
 *
 * @example
 * mayContainCgiUsage("export const port = process.env.PORT;"); // false
 */
export function mayContainCgiUsage(code: string): boolean {
  return (
    (code.includes("process") && META_NAMES.test(code)) ||
    (HEADERS.test(code) && OUTPUT.test(code)) ||
    SWAPPED.test(code)
  );
}

/**
 * Finds CGI usage in JavaScript or TypeScript source: CGI meta-variables read from
 * process.env, the request body read from stdin, a printed CGI header block, process.exit
 * in a CGI script, and the swapped application(start_response, environ) signature. A file
 * that cannot be parsed gives one `syntax-error` finding.
 *
 * @example
 * detectCgiUsage('const q = process.env.QUERY_STRING;\n', { filename: "a.cjs" });
 * // [{ rule: "cgi-env-read", line: 1, column: 11, fixable: true, ... }]
 */
export function detectCgiUsage(code: string, options: DetectOptions): Finding[] {
  if (!mayContainCgiUsage(code)) return [];
  let parsed;
  try {
    parsed = parseSource(code, options.filename);
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, "");
    return [
      {
        rule: "syntax-error",
        message: `cannot parse: ${message}`,
        line: loc?.line ?? 1,
        column: (loc?.column ?? 0) + 1,
        fixable: false,
      },
    ];
  }
  const raw = analyzeProgram(parsed.program);
  const usesCgi = raw.some((finding) => finding.weight === "strong");
  const suppressions = collectSuppressions(parsed.comments);
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const finding of raw) {
    if (finding.weight === "gated" && !usesCgi) continue;
    const converted = toFinding(finding);
    if (isSuppressed(suppressions, converted.line, converted.rule)) continue;
    // One stdin finding per line: readFileSync(process.stdin.fd) is one read, not two.
    const key =
      converted.rule === "cgi-stdin-body"
        ? `${converted.rule}:${converted.line}`
        : `${converted.rule}:${converted.line}:${converted.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(converted);
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

function toFinding({ rule, node, message }: RawFinding): Finding {
  const loc = node.loc;
  return {
    rule,
    message,
    line: loc?.start.line ?? 1,
    column: (loc?.start.column ?? 0) + 1,
    ...(loc ? { endLine: loc.end.line, endColumn: loc.end.column + 1 } : {}),
    fixable: ruleInfo(rule).fixable,
  };
}
