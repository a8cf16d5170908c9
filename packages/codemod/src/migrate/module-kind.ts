import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ModuleShape } from "./shape.js";

/**
 * Whether a file runs as an ES module, as Node decides: by extension, then by its syntax,
 * then by the `type` of the nearest package.json.
 *
 * @example
 * isEsm("cgi-bin/prices.js", shape); // true inside a "type": "module" package
 */
export function isEsm(filename: string, shape: ModuleShape, topLevelAwait: boolean): boolean {
  if (/\.m[jt]s$/.test(filename)) return true;
  if (/\.c[jt]s$/.test(filename)) return false;
  if (shape.esmSyntax || topLevelAwait) return true;
  if (shape.requires) return false;
  return packageType(filename) === "module";
}

function packageType(filename: string): string | undefined {
  let dir = dirname(resolve(filename));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string };
      return pkg.type ?? "commonjs";
    } catch {
      // No package.json here (or an unreadable one): look further up.
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
