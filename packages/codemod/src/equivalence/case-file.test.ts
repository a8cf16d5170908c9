import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CaseFileError, readCases } from "./case-file.js";

const dir = mkdtempSync(join(tmpdir(), "cgi2wsgi-cases-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function casesFile(text: string): string {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, text);
  return file;
}

describe("readCases", () => {
  it("reads the fixture request format", () => {
    const requests = [
      {},
      { name: "post", method: "POST", path: "/x", query: "a=1", headers: { A: "b" }, body: "t" },
      { body: { base64: "AAE=" } },
    ];
    expect(readCases(casesFile(JSON.stringify(requests)))).toEqual(requests);
  });

  it("says what is wrong and where", () => {
    const cases: Array<[string, RegExp]> = [
      ["{", /cannot read it as JSON/],
      ['{"method":"GET"}', /expected a JSON array/],
      ["[1]", /request 1 is not an object/],
      ['[{}, {"url":"/"}]', /request 2 has an unknown field "url"/],
      ['[{"method":1}]', /"method" must be a string/],
      ['[{"path":"x"}]', /must start with "\/"/],
      ['[{"headers":{"A":1}}]', /"headers" must be an object of strings/],
      ['[{"body":{"hex":"00"}}]', /"body" must be text/],
    ];
    for (const [text, message] of cases) {
      const file = casesFile(text);
      expect(() => readCases(file)).toThrow(CaseFileError);
      expect(() => readCases(file)).toThrow(message);
    }
  });
});
