import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One fenced block of docs/deploy.md marked with a `test=NAME` info string. */
export interface Snippet {
  name: string;
  /** The block's language: nginx, apache, lighttpd, sh, ini. */
  lang: string;
  text: string;
}

/** A `test=` name that docs/deploy.md does not have (renamed or deleted in the docs). */
export class MissingSnippetError extends Error {
  readonly code = "ERR_MISSING_SNIPPET";
  constructor(name: string) {
    super(`docs/deploy.md has no block marked test=${name}; rename the test or restore the block`);
  }
}

/** Path of the deployment guide the tests exercise. */
export const DEPLOY_MD = fileURLToPath(new URL("../../../../docs/deploy.md", import.meta.url));

const FENCE = /^```(\w+)[^\n]*?\btest=([\w-]+)[^\n]*\n([\s\S]*?)^```$/gm;

/**
 * Every block of a markdown text marked with a `test=NAME` info string, by name.
 *
 * @example
 * parseSnippets("```nginx test=demo\nserver {}\n```\n").get("demo"); // { lang: "nginx", ... }
 */
export function parseSnippets(markdown: string): Map<string, Snippet> {
  const found = new Map<string, Snippet>();
  for (const [, lang, name, text] of markdown.matchAll(FENCE)) {
    found.set(name!, { name: name!, lang: lang!, text: text! });
  }
  return found;
}

/**
 * The text of one marked block of docs/deploy.md, with the documented placeholders replaced.
 * Each key is replaced wherever it stands on its own (not inside a longer number or word).
 *
 * @example
 * snippet("fastcgi-nginx", { "/run/cgi2wsgi": dir }); // "upstream cgi2wsgi_app { ..."
 */
export function snippet(name: string, values: Record<string, string> = {}): string {
  const found = parseSnippets(readFileSync(DEPLOY_MD, "utf8")).get(name);
  if (!found) throw new MissingSnippetError(name);
  return substitute(found.text, values);
}

/**
 * Replaces each key of `values` in `text`, longest keys first, only where the key is not part
 * of a longer token (`9000` is replaced in `:9000;` but not in `19000`).
 *
 * @example
 * substitute("listen 127.0.0.1:9000", { "9000": "41234" }); // "listen 127.0.0.1:41234"
 */
export function substitute(text: string, values: Record<string, string>): string {
  const keys = Object.keys(values).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const pattern = new RegExp(`(?<![\\w.])(?:${escaped.join("|")})(?![\\w])`, "g");
  return text.replace(pattern, (match) => values[match]!);
}
