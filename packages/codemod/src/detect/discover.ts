import { closeSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";

// Names that are JavaScript or TypeScript by extension. `.njs` is an old name for Node
// scripts; `.jsx` files are kept only when they hold plain JavaScript (migrate checks).
const SCRIPT_NAME = /\.(?:[cm]?[jt]sx?|njs)$/;
// Extensions that are never programs, so their first bytes need not be read.
const DATA_NAME =
  /\.(?:json|html?|css|txt|md|csv|xml|svg|png|jpe?g|gif|ico|gz|zip|map|lock|ya?ml|ini|conf|log)$/i;

/**
 * Whether a script's first line starts it with Node: `#!/usr/bin/node`,
 * `#!/usr/bin/env node`, `#!/usr/local/bin/node`, `#!/usr/bin/nodejs`,
 * `#!/usr/bin/env -S node --import tsx` or `#!C:/Program Files/nodejs/node.exe`.
 *
 * @example
 * isNodeShebang("#!/usr/bin/env node"); // true
 * isNodeShebang("#!/usr/bin/perl -w"); // false
 */
export function isNodeShebang(firstLine: string): boolean {
  if (!firstLine.startsWith("#!")) return false;
  const words = firstLine.slice(2).trim().split(/\s+/);
  const program = (word: string | undefined) =>
    word !== undefined && /^node(?:js)?(?:\.exe)?$/i.test(word.split(/[\\/]/).pop()!);
  // `#!C:/Program Files/nodejs/node.exe`: the interpreter's path itself holds a space.
  if (/[\\/]node(?:js)?(?:\.exe)?$/i.test(firstLine.trim())) return true;
  if (program(words[0])) return true;
  if (!/(?:^|[\\/])env$/.test(words[0] ?? "")) return false;
  // env's options before the program: `-S`, `-u NAME`, `NAME=value`.
  const rest = words.slice(1).filter((word) => !word.startsWith("-") && !word.includes("="));
  return program(rest[0]);
}

/**
 * Whether a file is a Node CGI script candidate, as `migrate`, `lint` and `verify` all find
 * them: a JavaScript or TypeScript source (`.js`, `.cjs`, `.mjs`, `.ts`, `.jsx`, `.njs`), a
 * `.cgi` file unless its shebang names another interpreter (Perl, a shell, Python), or any
 * other file whose shebang runs Node (an extensionless `guestbook`, `form.node`).
 *
 * @example
 * isNodeScriptFile("cgi-bin/index.cgi"); // true for `#!/usr/bin/env node`, false for Perl
 */
export function isNodeScriptFile(path: string): boolean {
  const name = basename(path);
  if (SCRIPT_NAME.test(name)) return true;
  if (DATA_NAME.test(name)) return false;
  const head = firstLine(path);
  if (head === undefined) return false;
  if (name.endsWith(".cgi"))
    return head.startsWith("#!") ? isNodeShebang(head) : !head.includes("\0");
  return isNodeShebang(head);
}

function firstLine(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const head = Buffer.alloc(256);
    const length = readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, length).toString("latin1").split(/\r?\n/, 1)[0]!;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
