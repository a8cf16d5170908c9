import { statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { isGlob } from "../shared/glob.js";

/**
 * The directory an `--out-dir` mirrors: the deepest directory holding every argument (a
 * directory argument stands for itself, a file for its folder, a glob for its part before
 * the first wildcard). `migrate test-fixtures --out-dir out` thus writes `out/<fixture>/...`.
 *
 * @example
 * inputBase(["cgi-bin", "lib/util.js"], "/repo"); // "/repo"
 */
export function inputBase(paths: string[], cwd: string): string {
  const bases = paths.map((arg) => {
    const absolute = resolve(cwd, arg);
    if (isGlob(arg)) {
      const segments = absolute.split(sep);
      return (
        segments
          .slice(
            0,
            segments.findIndex((segment) => isGlob(segment)),
          )
          .join(sep) || sep
      );
    }
    try {
      return statSync(absolute).isDirectory() ? absolute : dirname(absolute);
    } catch {
      return dirname(absolute);
    }
  });
  return bases.reduce((common, base) => {
    while (isOutside(common, base)) common = dirname(common);
    return common;
  });
}

/**
 * True when `path` is not `dir` itself nor under it.
 *
 * @example
 * isOutside("/repo/out", "/repo/out/a.js"); // false
 */
export function isOutside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
