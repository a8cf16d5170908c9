/** The stable id of a detector rule, as printed by `cgi2wsgi lint` and used in config files. */
export type RuleId =
  | "cgi-env-read"
  | "cgi-stdin-body"
  | "cgi-header-block"
  | "cgi-process-exit"
  | "swapped-application-signature"
  | "syntax-error";

/** What a rule looks for, and whether `cgi2wsgi migrate` rewrites what it finds. */
export interface RuleInfo {
  id: RuleId;
  /** One line for `--help`, SARIF `shortDescription` and docs. */
  summary: string;
  /** What to do about a finding. */
  help: string;
  fixable: boolean;
}

/**
 * Every rule of the detector, in the order they are documented. The ids are stable: config
 * files and SARIF baselines refer to them.
 *
 * @example
 * for (const rule of RULES) console.log(rule.id, rule.fixable ? "(fixable)" : "");
 */
export const RULES: readonly RuleInfo[] = [
  {
    id: "cgi-env-read",
    summary: "Reads a CGI meta-variable (RFC 3875 or HTTP_*) from process.env",
    help: "Under a long-lived gateway the request arrives in environ; run `cgi2wsgi migrate` to read environ instead of process.env.",
    fixable: true,
  },
  {
    id: "cgi-stdin-body",
    summary: "Reads the request body from standard input",
    help: "The body is environ['wsgi.input'] in an application; run `cgi2wsgi migrate` to read it from there.",
    fixable: true,
  },
  {
    id: "cgi-header-block",
    summary:
      "Prints a CGI header block (Content-Type:, Status:, Location: lines and a blank line) to stdout",
    help: "An application passes its status and headers to start_response; run `cgi2wsgi migrate` to turn the printed block into a start_response call.",
    fixable: true,
  },
  {
    id: "cgi-process-exit",
    summary: "Calls process.exit in a script that serves CGI requests",
    help: "In a gateway process.exit would stop every request; `cgi2wsgi migrate` ends the response there instead.",
    fixable: true,
  },
  {
    id: "swapped-application-signature",
    summary: "Declares application(start_response, environ): the parameters are swapped",
    help: "The contract is application(environ, start_response); swap the two parameters by hand.",
    fixable: false,
  },
  {
    id: "syntax-error",
    summary: "The file could not be parsed",
    help: "Fix the syntax error (or exclude the file with an ignore glob) so the file can be checked.",
    fixable: false,
  },
];

/**
 * Looks a rule up by id.
 *
 * @example
 * ruleInfo("cgi-env-read").fixable; // true
 */
export function ruleInfo(id: RuleId): RuleInfo {
  return RULES.find((rule) => rule.id === id)!;
}
