import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as codemod from "@cgi2wsgi/codemod";
import * as detect from "@cgi2wsgi/codemod/detect";
import * as load from "@cgi2wsgi/codemod/load";
import * as runtime from "@cgi2wsgi/runtime";
import { describe, expect, it } from "vitest";

const CONTRACT = fileURLToPath(new URL("../../../docs/contract.md", import.meta.url));

describe("docs/contract.md", () => {
  it("names every value the packages export (document a new export there)", () => {
    const text = readFileSync(CONTRACT, "utf8");
    const entries = {
      "@cgi2wsgi/runtime": runtime,
      "@cgi2wsgi/codemod": codemod,
      "@cgi2wsgi/codemod/detect": detect,
      "@cgi2wsgi/codemod/load": load,
    };
    const undocumented = Object.entries(entries).flatMap(([entry, exports]) =>
      Object.keys(exports)
        .filter((name) => !text.includes("`" + name))
        .map((name) => `${entry}: ${name}`),
    );
    expect(undocumented, "say what these are in docs/contract.md's package sections").toEqual([]);
  });
});
