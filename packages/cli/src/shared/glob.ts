/**
 * Compiles a glob to a regular expression over `/`-separated relative paths: `*` and `?`
 * stay within a segment, `**` spans segments, `{a,b}` and `[abc]` work as in shells.
 *
 * @example
 * globToRegExp("src/**\/*.{js,ts}").test("src/a/b.ts"); // true
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globSource(glob)}$`);
}

/**
 * The regular-expression source of a glob, for callers that anchor it themselves.
 *
 * @example
 * new RegExp(`(^|/)${globSource("*.log")}$`);
 */
export function globSource(glob: string): string {
  let source = "";
  let braces = 0;
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*") {
      if (glob[index + 1] === "*") {
        const slashAfter = glob[index + 2] === "/";
        const atSegmentStart = index === 0 || glob[index - 1] === "/";
        index += slashAfter ? 2 : 1;
        source += atSegmentStart && slashAfter ? "(?:.*/)?" : ".*";
      } else {
        source += "[^/]*";
      }
    } else if (char === "?") {
      source += "[^/]";
    } else if (char === "[") {
      const end = glob.indexOf("]", index + 1);
      if (end === -1) {
        source += "\\[";
      } else {
        source += `[${glob
          .slice(index + 1, end)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        index = end;
      }
    } else if (char === "{") {
      braces++;
      source += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      source += ")";
    } else if (char === "," && braces > 0) {
      source += "|";
    } else {
      source += char.replace(/[.+^$()|\\{}]/g, "\\$&");
    }
  }
  return source;
}

/**
 * Whether a command-line path is a glob rather than a literal path.
 *
 * @example
 * isGlob("cgi-bin/*.js"); // true
 */
export function isGlob(path: string): boolean {
  return /[*?[{]/.test(path);
}
