import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { RULES } from "@cgi2wsgi/codemod/detect";
import { UsageError } from "../shared/errors.js";
import { listWords } from "../shared/options.js";

/** How a rule's findings count: `error` fails the run, `warn` is reported only. */
export type Severity = "error" | "warn" | "off";

/** The lint configuration, from `cgi2wsgi.config.json` or package.json's `cgi2wsgi` key. */
export interface LintConfig {
  /** Where the config was found (ignore globs are relative to its directory). */
  file?: string;
  base: string;
  ignore: string[];
  rules: Record<string, Severity>;
}

const SEVERITIES: readonly Severity[] = ["error", "warn", "off"];

/**
 * Finds and reads the configuration: `--config FILE` if given, else the nearest
 * `cgi2wsgi.config.json` or package.json with a `cgi2wsgi` key from `cwd` upwards. Invalid
 * JSON, unknown keys, rules and severities are usage errors that name the file.
 *
 * @example
 * // cgi2wsgi.config.json: { "ignore": ["vendor/**"], "rules": { "cgi-process-exit": "off" } }
 * const config = loadLintConfig(process.cwd());
 */
export function loadLintConfig(cwd: string, explicit?: string): LintConfig {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new UsageError(`config file ${explicit} does not exist; check the --config path`);
    }
    const json = readJson(file);
    const section = file.endsWith("package.json")
      ? (json as Record<string, unknown>).cgi2wsgi
      : json;
    return validate(section ?? {}, file);
  }
  for (let dir = cwd; ; dir = dirname(dir)) {
    const own = join(dir, "cgi2wsgi.config.json");
    if (existsSync(own)) return validate(readJson(own), own);
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      const section = (readJson(pkg) as Record<string, unknown> | null)?.cgi2wsgi;
      if (section !== undefined) return validate(section, pkg);
    }
    if (dirname(dir) === dir) return { base: cwd, ignore: [], rules: {} };
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${(error as Error).message}; fix the JSON`);
  }
}

function validate(raw: unknown, file: string): LintConfig {
  const fail = (what: string) => new UsageError(`config ${file}: ${what}`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw fail('expected an object such as { "ignore": [], "rules": {} }');
  }
  const { ignore = [], rules = {}, ...rest } = raw as Record<string, unknown>;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) {
    throw fail(`unknown key ${JSON.stringify(unknownKeys[0])}; the keys are "ignore" and "rules"`);
  }
  if (!Array.isArray(ignore) || ignore.some((glob) => typeof glob !== "string")) {
    throw fail('"ignore" must be an array of glob strings');
  }
  if (typeof rules !== "object" || rules === null || Array.isArray(rules)) {
    throw fail('"rules" must map rule ids to "error", "warn" or "off"');
  }
  const ids = RULES.map((rule) => rule.id as string);
  for (const [id, severity] of Object.entries(rules)) {
    if (!ids.includes(id))
      throw fail(`unknown rule ${JSON.stringify(id)}; rules: ${listWords(ids)}`);
    if (!SEVERITIES.includes(severity as Severity)) {
      throw fail(`rule ${id}: use "error", "warn" or "off", not ${JSON.stringify(severity)}`);
    }
  }
  return {
    file,
    base: dirname(file),
    ignore: ignore as string[],
    rules: rules as Record<string, Severity>,
  };
}
