import { readFileSync } from "node:fs";
import { join } from "node:path";
import { globSource } from "./glob.js";

interface Rule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

/** The rules of one .gitignore, matched against paths relative to its directory. */
export interface IgnoreFile {
  base: string;
  rules: Rule[];
}

/**
 * Parses .gitignore text: comments, `!` negation, a trailing `/` for directories only, and
 * anchoring for patterns holding a `/` (others match a name at any depth).
 *
 * @example
 * parseGitignore("/repo", "node_modules/\n*.log\n!keep.log\n");
 */
export function parseGitignore(base: string, text: string): IgnoreFile {
  const rules: Rule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    if (negated) line = line.slice(1);
    line = line.replace(/^\\([#!])/, "$1");
    const directoryOnly = line.endsWith("/");
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.includes("/");
    line = line.replace(/^\//, "");
    const source = globSource(line);
    rules.push({
      regex: new RegExp(anchored ? `^${source}(/|$)` : `(^|/)${source}(/|$)`),
      negated,
      directoryOnly,
    });
  }
  return { base, rules };
}

/**
 * Reads `dir/.gitignore` if there is one.
 *
 * @example
 * const file = loadGitignore("/repo");
 */
export function loadGitignore(dir: string): IgnoreFile | undefined {
  try {
    return parseGitignore(dir, readFileSync(join(dir, ".gitignore"), "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Whether the stack of .gitignore files (outermost first) ignores a path; as in git, the
 * last matching rule wins.
 *
 * @example
 * isIgnored([parseGitignore("/r", "dist/")], "/r/dist", true); // true
 */
export function isIgnored(files: IgnoreFile[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const file of files) {
    if (!path.startsWith(file.base + "/")) continue;
    const relative = path.slice(file.base.length + 1);
    for (const rule of file.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(relative)) ignored = !rule.negated;
    }
  }
  return ignored;
}
