import { existsSync, readdirSync, statSync } from "node:fs";
import { isNodeScriptFile } from "@cgi2wsgi/codemod/detect";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { isIgnored, loadGitignore, type IgnoreFile } from "./gitignore.js";
import { globToRegExp, isGlob } from "./glob.js";

/** What {@link collectFiles} found. */
export interface CollectedFiles {
  /** Absolute paths, sorted, each once. */
  files: string[];
  /** Arguments that matched nothing. */
  unmatched: string[];
}

/** Options of {@link collectFiles}. */
export interface CollectOptions {
  cwd: string;
  /** Extra ignore globs, each relative to its base (the config file's directory, or cwd). */
  ignore?: Array<{ glob: string; base: string }>;
  /** Keep every file, not only sources (migrate --out-dir copies data files too). */
  allFiles?: boolean;
}

const NEVER_ENTER = new Set(["node_modules", ".git"]);

/**
 * Expands command-line paths into the source files to check: files as given, directories
 * walked, globs matched. Walking skips node_modules, .git and what .gitignore files (those
 * of the directory's repository above it included) ignore; it keeps the files
 * {@link isSourceFile} takes for Node CGI scripts.
 *
 * @example
 * const { files, unmatched } = collectFiles(["cgi-bin", "lib/*.js"], { cwd: process.cwd() });
 */
export function collectFiles(paths: string[], options: CollectOptions): CollectedFiles {
  const found = new Set<string>();
  const unmatched: string[] = [];
  // A directory pattern ("vendor/") ignores everything under it.
  const userIgnores = (options.ignore ?? []).map(({ glob, base }) => ({
    base,
    regex: globToRegExp(glob.replace(/^\.\//, "").replace(/\/$/, "/**")),
  }));
  const userIgnored = (path: string) =>
    userIgnores.some(({ base, regex }) => {
      const rel = toPosix(relative(base, path));
      return !rel.startsWith("..") && regex.test(rel);
    });

  const walk = (dir: string, stack: IgnoreFile[], accept: (path: string) => boolean) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (NEVER_ENTER.has(entry.name)) continue;
      const path = join(dir, entry.name);
      let isDirectory = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        try {
          isDirectory = statSync(path).isDirectory();
        } catch {
          isDirectory = false;
        }
      }
      if (isIgnored(stack, toPosix(path), isDirectory) || userIgnored(path)) continue;
      if (isDirectory) {
        const own = loadGitignore(path);
        walk(path, own ? [...stack, own] : stack, accept);
      } else if (accept(path) && (options.allFiles || isSourceFile(path))) {
        found.add(path);
      }
    }
  };

  for (const arg of paths) {
    const absolute = resolve(options.cwd, arg);
    if (isGlob(arg)) {
      const base = staticBase(absolute);
      const regex = globToRegExp(toPosix(absolute));
      let matched = false;
      walk(base, ignoreStack(base), (path) => {
        const hit = regex.test(toPosix(path));
        matched ||= hit;
        return hit;
      });
      if (!matched) unmatched.push(arg);
    } else if (!existsSync(absolute)) {
      unmatched.push(arg);
      continue;
    } else if (statSync(absolute).isDirectory()) {
      walk(absolute, ignoreStack(absolute), () => true);
    } else if (!userIgnored(absolute)) {
      // A file named explicitly is checked even if .gitignore'd, but the config's ignore
      // globs still hold, so `cgi2wsgi lint $(git diff --name-only)` respects them.
      found.add(absolute);
    }
  }
  return { files: [...found].sort(), unmatched };
}

/**
 * Whether a file is one {@link collectFiles} checks: a Node CGI script candidate as the
 * codemod finds them (JavaScript and TypeScript sources, `.njs`, `.jsx`, `.cgi` files not
 * run by another interpreter, any file with a node shebang).
 *
 * @example
 * isSourceFile("/repo/cgi-bin/form.cjs"); // true
 */
export function isSourceFile(path: string): boolean {
  return isNodeScriptFile(path);
}

// The .gitignore files that apply below `dir`: its own and its ancestors' up to the
// repository root (the directory holding .git), outermost first. A directory named on the
// command line is checked even if an ancestor's rule ignores it (ESLint checks what it is
// given), so rules that match `dir` itself or its parents are left out.
function ignoreStack(dir: string): IgnoreFile[] {
  const stack: IgnoreFile[] = [];
  const root = toPosix(dir);
  let current = dir;
  for (;;) {
    const file = loadGitignore(current);
    if (file) {
      const base = toPosix(file.base);
      const rules = file.rules.filter((rule) => !matchesRootOrParent(base, root, rule.regex));
      stack.unshift({ base, rules });
    }
    if (existsSync(join(current, ".git"))) break;
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return stack;
}

function matchesRootOrParent(base: string, root: string, regex: RegExp): boolean {
  if (!root.startsWith(base + "/")) return false;
  const segments = root.slice(base.length + 1).split("/");
  return segments.some((_, index) => regex.test(segments.slice(0, index + 1).join("/")));
}

function staticBase(absoluteGlob: string): string {
  const segments = absoluteGlob.split(sep);
  const firstMagic = segments.findIndex((segment) => isGlob(segment));
  const base = segments.slice(0, firstMagic).join(sep);
  return base === "" ? sep : base;
}

/**
 * A path with `/` separators, as globs, .gitignore and SARIF URIs use.
 *
 * @example
 * toPosix("a\\b"); // "a/b" on Windows
 */
export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * A path relative to `cwd` for display and reports; absolute when outside it.
 *
 * @example
 * displayPath("/repo/cgi-bin/a.js", "/repo"); // "cgi-bin/a.js"
 */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return toPosix(rel.startsWith("..") || isAbsolute(rel) ? path : rel);
}
