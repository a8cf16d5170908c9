import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { isNodeScriptFile } from "../../src/detect/index.js";
import { readCases, type CaseRequest } from "../../src/equivalence/index.js";

/** Where the fixture corpus lives. */
export const CORPUS_ROOT = resolve(import.meta.dirname, "../../../../test-fixtures");

const EXPECTED = /\.expected\.(c|m)?[jt]s$/;

/** One fixture folder of the corpus (see test-fixtures/README.md). */
export interface Fixture {
  name: string;
  dir: string;
  /** The CGI scripts, relative to `dir` (`cgi-bin/form.cjs`). */
  scripts: string[];
  /** Every JavaScript or TypeScript source in the fixture, scripts included, relative to `dir`. */
  sources: string[];
  requests: CaseRequest[];
  /**
   * Migrated scripts checked verbatim: `<script name>.expected.<ext>` at the fixture's root
   * holds what `cgi-bin/<script name>.<ext>` must become, by script.
   */
  expected: Map<string, string>;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * Reads every fixture of the corpus.
 *
 * @example
 * for (const fixture of loadCorpus()) console.log(fixture.name, fixture.scripts);
 */
export function loadCorpus(root = CORPUS_ROOT): Fixture[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(root, name);
      const files = walk(dir).map((file) => relative(dir, file));
      // Sources as migrate finds them: any Node script name (index.cgi, guestbook), not data.
      const sources = files.filter(
        (file) => !EXPECTED.test(file) && isNodeScriptFile(join(dir, file)),
      );
      const scripts = sources.filter((file) => file.startsWith("cgi-bin/"));
      const expected = new Map<string, string>();
      for (const file of files.filter((f) => EXPECTED.test(f))) {
        const script = `cgi-bin/${file.replace(".expected.", ".")}`;
        if (!scripts.includes(script)) throw new Error(`${name}/${file} matches no ${script}`);
        expected.set(script, file);
      }
      return {
        name,
        dir,
        scripts,
        sources,
        requests: readCases(join(dir, "requests.json")),
        expected,
      };
    });
}
