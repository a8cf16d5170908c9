import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { CaseRequest } from "../../src/equivalence/index.js";

/** Where the fixture corpus lives. */
export const CORPUS_ROOT = resolve(import.meta.dirname, "../../../../test-fixtures");

const SOURCE = /\.(c|m)?[jt]s$/;

/** One fixture folder of the corpus (see test-fixtures/README.md). */
export interface Fixture {
  name: string;
  dir: string;
  /** The CGI scripts, relative to `dir` (`cgi-bin/form.cjs`). */
  scripts: string[];
  /** Every JavaScript or TypeScript source in the fixture, scripts included, relative to `dir`. */
  sources: string[];
  requests: CaseRequest[];
  /** `expected.<ext>`, the migrated script checked verbatim, when the fixture has one. */
  expected?: string;
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
      const sources = files.filter((file) => SOURCE.test(file) && !file.startsWith("expected."));
      const expected = files.find((file) => file.startsWith("expected."));
      return {
        name,
        dir,
        scripts: sources.filter((file) => file.startsWith("cgi-bin/")),
        sources,
        requests: JSON.parse(readFileSync(join(dir, "requests.json"), "utf8")) as CaseRequest[],
        ...(expected ? { expected } : {}),
      };
    });
}
