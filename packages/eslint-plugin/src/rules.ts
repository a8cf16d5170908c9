import { detectCgiUsage, RULES, type Finding, type RuleInfo } from "@cgi2wsgi/codemod/detect";
import type { Rule, SourceCode } from "eslint";

/** Where each rule is documented: the rules table of docs/ci.md, one anchor per id. */
const DOCS = "https://github.com/cgi2wsgi/cgi2wsgi/blob/main/docs/ci.md";

// Every rule of one file reads the same detector run: it parses with Babel once and all
// rules pick their findings from the result, as `cgi2wsgi lint` does. ESLint hands the
// same SourceCode to every rule of one pass, so it keys the cache (and frees it with it).
const findingsBySource = new WeakMap<SourceCode, Finding[]>();

function findingsOf(context: Rule.RuleContext): Finding[] {
  const source = context.sourceCode;
  let findings = findingsBySource.get(source);
  if (!findings) {
    findings = detectCgiUsage(source.text, { filename: context.filename });
    findingsBySource.set(source, findings);
  }
  return findings;
}

/**
 * The ESLint rule for one detector rule. It ignores ESLint's AST: the detector parses the
 * text itself (so findings, `// cgi2wsgi-ignore-next-line` and positions match
 * `cgi2wsgi lint` whatever parser ESLint was given). `meta.fixable` stays unset because
 * ESLint fixes are synchronous text edits and `cgi2wsgi migrate` rewrites whole files
 * asynchronously; `meta.docs.fixableByMigrate` says whether migrate rewrites the finding.
 *
 * @example
 * const rule = createRule(ruleInfo("cgi-env-read"));
 */
export function createRule(info: RuleInfo): Rule.RuleModule {
  const docs: NonNullable<Rule.RuleMetaData["docs"]> & { fixableByMigrate: boolean } = {
    description: info.summary,
    recommended: true,
    url: `${DOCS}#${info.id}`,
    fixableByMigrate: info.fixable,
  };
  return {
    meta: { type: "problem", docs, schema: [] },
    create(context) {
      return {
        Program() {
          for (const finding of findingsOf(context)) {
            if (finding.rule !== info.id) continue;
            const start = { line: finding.line, column: finding.column - 1 };
            const end =
              finding.endLine !== undefined && finding.endColumn !== undefined
                ? { line: finding.endLine, column: finding.endColumn - 1 }
                : start;
            context.report({ loc: { start, end }, message: finding.message });
          }
        },
      };
    },
  };
}

/**
 * Every detector rule as an ESLint rule, keyed by the rule id `cgi2wsgi lint` prints.
 *
 * @example
 * rules["cgi-env-read"].meta.docs.description; // "Reads a CGI meta-variable ..."
 */
export const rules: Record<string, Rule.RuleModule> = Object.fromEntries(
  RULES.map((info) => [info.id, createRule(info)]),
);
