import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { formatOutput } from "./format.js";

// formatOutput must give exactly what prettier's main entry gives, whichever way it takes.
const SAMPLES: Record<string, string> = {
  plain: "#!/usr/bin/env node\n'use strict'\n// a comment\nconst a  = {b:1,\n c: [1,2]}\n",
  "plain template": "const t = `a ${b}   c`;\nfoo(`x`, tag`y`);\n",
  "embedded CSS": "const a = css`color:red;  display : block`;\n",
  "embedded HTML": "const h = html`<div><span>${x}</span>   </div>`;\n",
  "embedded GraphQL comment": "const g = /* GraphQL */ `query { a  b }`;\n",
  "embedded Markdown": "const m = markdown`# hi\n\n*  a\n*  b`;\n",
  "newer syntax":
    "import j from './a.json' with {type:'json'}\nclass A { accessor x = 1; #p; static {} }\n",
  typescript: "const t: string = `x${1}`;\nenum E {A,B}\nfunction f(a:number):void{}\n",
};

describe("formatOutput", () => {
  for (const [name, code] of Object.entries(SAMPLES)) {
    for (const typescript of [false, true]) {
      if (name === "typescript" && !typescript) continue;
      it(`formats ${name}${typescript ? " as TypeScript" : ""} as prettier does`, async () => {
        for (const prettierConfig of [undefined, { printWidth: 40, singleQuote: true }]) {
          const parser = typescript ? "typescript" : "babel";
          const expected = await format(code, { ...prettierConfig, parser });
          expect(await formatOutput(code, { typescript, prettierConfig })).toBe(expected);
        }
      });
    }
  }

  it("formats embedded CSS, which the standalone path leaves to prettier's main entry", async () => {
    const code = "const a = css`color:red;  display : block`;\n";
    expect(await formatOutput(code, { typescript: false })).toBe(
      "const a = css`\n  color: red;\n  display: block;\n`;\n",
    );
  });

  it("hands babel what meriyah refuses", async () => {
    // A `do` expression is a proposal that prettier's babel parser takes and meriyah does not.
    expect(await formatOutput("const x = do { 1 };\n", { typescript: false })).toBe(
      "const x = do {\n  1;\n};\n",
    );
  });

  it("reports a syntax error as prettier does", async () => {
    await expect(formatOutput("const = 1", { typescript: false })).rejects.toThrow(
      /Unexpected token/,
    );
  });
});
