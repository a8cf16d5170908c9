import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "./support/corpus.js";

// The corpus is only worth something if each fixture is a real CGI program that a server
// can run as it is, with requests covering it. These checks keep new fixtures honest.

const corpus = loadCorpus();

describe("the fixture corpus", () => {
  it("holds at least 40 fixtures, in every source flavour", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const extensions = new Set(corpus.flatMap((f) => f.scripts.map((s) => s.split(".").pop())));
    expect([...extensions].sort()).toEqual(["cjs", "js", "mjs", "ts"]);
  });

  for (const fixture of corpus) {
    it(`${fixture.name} is a runnable CGI program with requests`, () => {
      expect(fixture.scripts.length).toBeGreaterThan(0);
      for (const script of fixture.scripts) {
        const file = join(fixture.dir, script);
        accessSync(file, constants.X_OK);
        const shebang = readFileSync(file, "utf8").split("\n", 1)[0];
        const expected = script.endsWith(".ts")
          ? "#!/usr/bin/env -S node --import tsx"
          : "#!/usr/bin/env node";
        expect(shebang).toBe(expected);
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
