import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintSpec } from "../src/lint/command.js";
import { CLI_DOCS, commandSection, renderCliDocs } from "./cli-docs.js";

describe("docs/cli.md", () => {
  it("is what `pnpm docs:cli` writes from the option tables (rerun it after changing an option)", async () => {
    const text = readFileSync(CLI_DOCS, "utf8");
    expect(await renderCliDocs(text), "docs/cli.md is out of date: run `pnpm docs:cli`").toBe(text);
  });

  it("escapes table syntax in descriptions, and a `|` inside code spans too (GFM splits on it there)", () => {
    const spec = {
      ...lintSpec,
      options: { x: { type: "string", description: "a | b, <path> and `c|d`" } },
    } as const;
    expect(commandSection(spec)).toContain("| `--x VALUE` | a \\| b, \\<path> and `c\\|d` |");
  });

  it("keeps a flag whose argument has a `|`, a line break and a lone backtick inside one cell", () => {
    const spec = {
      ...lintSpec,
      options: {
        "access-log": { type: "string", argument: "FILE|-", description: "one\nline, a ` tick" },
      },
    } as const;
    expect(commandSection(spec)).toContain("| `--access-log FILE\\|-` | one line, a \\` tick |");
  });

  it("writes every option row of docs/cli.md as exactly two cells", () => {
    const rows = readFileSync(CLI_DOCS, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| `-"));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      // GFM's cell boundaries: every `|` not escaped by a backslash, code spans included.
      const pipes = row.match(/(?<!\\)\|/g) ?? [];
      expect(pipes.length, row).toBe(3);
    }
    expect(rows.some((row) => row.includes("`--access-log FILE\\|-`"))).toBe(true);
  });

  it("refuses a document that leaves a command out", async () => {
    await expect(renderCliDocs("# nothing generated here\n")).rejects.toThrow(
      /lacks a section for migrate, lint, serve, verify, launcher/,
    );
  });
});
