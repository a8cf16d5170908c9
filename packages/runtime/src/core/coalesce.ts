import type { Chunk } from "../types.js";

/**
 * An array body of strings as one string, when that sends the same bytes: each chunk is
 * encoded as UTF-8 on its own, so a surrogate pair split between two chunks stays two
 * replacement characters and such a body is left as it is. One chunk is one encoding and
 * one write instead of one per line (applications migrated from CGI return many lines).
 *
 * @example
 * coalesce(["<ul>\n", "<li>a</li>\n", "</ul>\n"]); // ["<ul>\n<li>a</li>\n</ul>\n"]
 */
export function coalesce(body: readonly Chunk[]): readonly Chunk[] {
  if (body.length < 2) return body;
  for (const chunk of body) {
    if (typeof chunk !== "string") return body;
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) return body;
  }
  return [(body as string[]).join("")];
}
