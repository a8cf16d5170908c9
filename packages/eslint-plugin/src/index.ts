import { readFileSync } from "node:fs";
import { RULES } from "@cgi2wsgi/codemod/detect";
import type { ESLint, Linter } from "eslint";
import { rules } from "./rules.js";

const { name, version } = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { name: string; version: string };

/**
 * The plugin as flat config takes it: rules, metadata, and `configs.recommended`.
 *
 * @example
 * export default [cgi2wsgi.configs.recommended, { rules: { "cgi2wsgi/cgi-process-exit": "warn" } }];
 */
export interface Cgi2wsgiPlugin extends ESLint.Plugin {
  configs: { recommended: Linter.Config };
}

const plugin: Cgi2wsgiPlugin = {
  meta: { name, version, namespace: "cgi2wsgi" },
  rules,
  configs: { recommended: {} },
};

// Every rule at error, like `cgi2wsgi lint` without a config. No `files`: the rules apply to
// whatever the project already lints (add `**/*.cgi` there), and TypeScript files need the
// project's TypeScript parser for ESLint itself, though the rules read the text.
plugin.configs.recommended = {
  name: "cgi2wsgi/recommended",
  plugins: { cgi2wsgi: plugin },
  rules: Object.fromEntries(RULES.map((rule) => [`cgi2wsgi/${rule.id}`, "error"])),
};

/**
 * `eslint-plugin-cgi2wsgi`: the rules of `cgi2wsgi lint` for ESLint's flat config.
 *
 * @example
 * // eslint.config.js
 * import cgi2wsgi from "eslint-plugin-cgi2wsgi";
 * export default [cgi2wsgi.configs.recommended];
 */
export default plugin;
export { rules };
