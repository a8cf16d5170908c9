import { realpathSync, statSync } from "node:fs";
import { dirname } from "node:path";

// Apache's children run as www-data; a test that hands them (or another user) a file must
// put it where they may reach it. Only the bits for others count here: group membership is
// not looked up, so a "no" may be too strict but a "yes" is always right.

/**
 * Whether every user may reach what is inside `dir`: it and every directory above it are
 * searchable by others (a clone in root's mode-700 home is not).
 *
 * @example
 * searchableByAll("/tmp"); // true
 * searchableByAll("/root/src"); // false where /root is mode 700
 */
export function searchableByAll(dir: string): boolean {
  for (let at = realpathSync(dir); ; at = dirname(at)) {
    if ((statSync(at).mode & 0o001) === 0) return false;
    if (at === dirname(at)) return true;
  }
}

/**
 * Whether every user may run `file`: readable and executable by others, in a directory
 * {@link searchableByAll}.
 *
 * @example
 * runnableByAll("/usr/bin/node"); // true
 */
export function runnableByAll(file: string): boolean {
  const real = realpathSync(file);
  return (statSync(real).mode & 0o005) === 0o005 && searchableByAll(dirname(real));
}
