import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** The files of the temporary project the lint tests run on. */
export const TREE: Record<string, string> = {
  "cgi-bin/hello.cjs": `#!/usr/bin/env node
var name = new URLSearchParams(process.env.QUERY_STRING).get("name") || "world";
console.log("Content-Type: text/plain\\n");
console.log("hello " + name);
`,
  "cgi-bin/form.mjs": `import { readFileSync } from "node:fs";
const body = process.env.REQUEST_METHOD === "POST" ? readFileSync(0, "utf8") : "";
if (!body) {
  process.stdout.write("Status: 400 Bad Request\\r\\nContent-Type: text/plain\\r\\n\\r\\nempty");
  process.exit(0);
}
`,
  "cgi-bin/silenced.js": `// cgi2wsgi-ignore-next-line
const host = process.env.HTTP_HOST;
`,
  "lib/config.js": `module.exports = { mode: process.env.NODE_ENV, port: process.env.PORT };\n`,
  "lib/old-app.js": `exports.application = function (start_response, environ) { return []; };\n`,
  "lib/broken.js": `const q = process.env.QUERY_STRING\nif (\n`,
  "pages/my page.js": `const agent = process.env.HTTP_USER_AGENT;\n`,
  "node_modules/dep/index.js": `module.exports = process.env.QUERY_STRING;\n`,
  ".gitignore": "generated/\n*.tmp.js\n",
  "generated/out.js": `module.exports = process.env.QUERY_STRING;\n`,
  "cgi-bin/scratch.tmp.js": `module.exports = process.env.QUERY_STRING;\n`,
  "clean/ok.js": `export const level = process.env.LOG_LEVEL ?? "info";\n`,
};

/**
 * Writes {@link TREE} into a new temporary directory, with a .git folder so .gitignore
 * lookups stop there, and returns its path.
 *
 * @example
 * const dir = makeLintTree();
 */
export function makeLintTree(): string {
  const dir = mkdtempSync(join(tmpdir(), "cli-lint-"));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, ".git"));
  for (const [path, text] of Object.entries(TREE)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/**
 * Adds a dangling symlink `name.js` under `dir`: listed by the walk, unreadable when opened.
 *
 * @example
 * addDanglingLink(join(root, "broken-links"), "gone");
 */
export function addDanglingLink(dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(dir, "does-not-exist.js"), join(dir, `${name}.js`));
}
