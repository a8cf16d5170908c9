import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { ModuleShape } from "./shape.js";

/**
 * Whether a file runs as an ES module, as Node decides: by extension, then by its syntax,
 * then by the `type` of the nearest package.json.
 *
 * @example
 * isEsm("cgi-bin/prices.js", shape); // true inside a "type": "module" package
 */
export function isEsm(filename: string, shape: ModuleShape, topLevelAwait: boolean): boolean {
  if (loadedByRequire(filename)) return false;
  if (/\.m[jt]s$/.test(filename)) return true;
  if (/\.c[jt]s$/.test(filename)) return false;
  if (shape.esmSyntax || topLevelAwait) return true;
  if (shape.requires) return false;
  return packageType(filename) === "module";
}

// Directory -> the `type` of its nearest package.json. Node reads each package.json once per
// process too; a tree of a thousand scripts shares a few, so migrate should not read them (and
// throw ENOENT up every level) once per file.
const packageTypes = new Map<string, string | undefined>();

function packageType(filename: string): string | undefined {
  return typeOfDirectory(dirname(resolve(filename)));
}

function typeOfDirectory(dir: string): string | undefined {
  if (packageTypes.has(dir)) return packageTypes.get(dir);
  let type: string | undefined;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string };
    type = pkg.type ?? "commonjs";
  } catch {
    // No package.json here (or an unreadable one): look further up.
    const parent = dirname(dir);
    type = parent === dir ? undefined : typeOfDirectory(parent);
  }
  packageTypes.set(dir, type);
  return type;
}

/**
 * Whether node loads a file of this name only with `require()`, as CommonJS: any extension
 * but JavaScript's and TypeScript's (`index.cgi`, `form.njs`, `page.jsx`). An extensionless
 * file follows its package's `type`, as a `.js` file does.
 *
 * @example
 * loadedByRequire("cgi-bin/index.cgi"); // true
 */
export function loadedByRequire(filename: string): boolean {
  const name = basename(filename);
  return name.includes(".") && !/\.[cm]?[jt]s$/.test(name);
}
