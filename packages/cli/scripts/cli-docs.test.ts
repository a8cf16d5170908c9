import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintSpec } from "../src/lint/command.js";
import { CLI_DOCS, commandSection, renderCliDocs } from "./cli-docs.js";

describe("docs/cli.md", () => {
  it("is what `pnpm docs:cli` writes from the option tables (rerun it after changing an option)", async () => {
    const text = readFileSync(CLI_DOCS, "utf8");
    expect(await renderCliDocs(text), "docs/cli.md is out of date: run `pnpm docs:cli`").toBe(text);
  });

  it("escapes table syntax in descriptions but not inside code spans", () => {
    const spec = {
      ...lintSpec,
      options: { x: { type: "string", description: "a | b, <path> and `c|d`" } },
    } as const;
    expect(commandSection(spec)).toContain("| `--x VALUE` | a \\| b, \\<path> and `c|d` |");
  });

  it("refuses a document that leaves a command out", async () => {
    await expect(renderCliDocs("# nothing generated here\n")).rejects.toThrow(
      /lacks a section for migrate, lint, serve, verify, launcher/,
    );
  });
});
