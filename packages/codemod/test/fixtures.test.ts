import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "./support/corpus.js";

// The corpus is only worth something if each fixture is a real CGI program that a server
// can run as it is, with requests covering it. These checks keep new fixtures honest.

const corpus = loadCorpus();
const SHEBANGS = [
  "#!/usr/bin/env node",
  "#!/usr/bin/node",
  "#!/usr/local/bin/node",
  "#!C:/Program Files/nodejs/node.exe",
];

describe("the fixture corpus", () => {
  it("holds at least 40 fixtures, in every source flavour", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const extension = (script: string) => /\.([^./]+)$/.exec(script)?.[1] ?? "(none)";
    const extensions = new Set(corpus.flatMap((f) => f.scripts.map(extension)));
    // The names real cgi-bins use too: index.cgi, time.njs, card.jsx, an extensionless guestbook.
    expect([...extensions].sort()).toEqual([
      "(none)",
      "cgi",
      "cjs",
      "js",
      "jsx",
      "mjs",
      "njs",
      "ts",
    ]);
  });

  for (const fixture of corpus) {
    it(`${fixture.name} is a runnable CGI program with requests`, () => {
      expect(fixture.scripts.length).toBeGreaterThan(0);
      for (const script of fixture.scripts) {
        const file = join(fixture.dir, script);
        accessSync(file, constants.X_OK);
        const shebang = readFileSync(file, "utf8").split(/\r?\n/, 1)[0];
        // Fixtures of real-world names keep the shebangs found there (the harness runs a
        // Node it does not have, as C:/Program Files/nodejs/node.exe, with this one).
        const expected = script.endsWith(".ts")
          ? ["#!/usr/bin/env -S node --import tsx"]
          : fixture.name.startsWith("name-")
            ? [...SHEBANGS]
            : ["#!/usr/bin/env node"];
        expect(expected).toContain(shebang);
      }
      expect(fixture.requests.length).toBeGreaterThan(0);
      for (const request of fixture.requests) {
        const known = ["name", "method", "path", "query", "headers", "body"];
        expect(Object.keys(request).filter((key) => !known.includes(key))).toEqual([]);
        if (request.path) expect(request.path).toMatch(/^\//);
      }
    });
  }
});
