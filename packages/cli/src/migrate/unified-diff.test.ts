import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createColors } from "../shared/color.js";
import { unifiedDiff } from "./unified-diff.js";

const plain = createColors(false);
const dir = mkdtempSync(join(tmpdir(), "cli-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("unifiedDiff", () => {
  it("writes git's hunk format, with context and ranges", () => {
    const before = "a\nb\nc\nd\ne\nf\ng\nh\ni\n";
    const after = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
    expect(unifiedDiff(before, after, { path: "x.js", colors: plain })).toBe(
      "--- a/x.js\n+++ b/x.js\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n",
    );
    expect(unifiedDiff(before, before, { path: "x.js", colors: plain })).toBe("");
  });

  it("colours removed lines red and added lines green when asked", () => {
    const text = unifiedDiff("a\n", "b\n", { path: "x.js", colors: createColors(true) });
    expect(text).toContain("\u001b[31m-a\u001b[39m");
    expect(text).toContain("\u001b[32m+b\u001b[39m");
  });

  it("is a patch that GNU patch applies to get the new text back", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "x", "", "}"), { maxLength: 30 });
    const text = lines.map((l) => (l.length ? l.join("\n") + "\n" : ""));
    fc.assert(
      fc.property(text, text, (before, after) => {
        fc.pre(before !== after);
        const file = join(dir, "f.txt");
        writeFileSync(file, before);
        const diff = unifiedDiff(before, after, { path: "f.txt", colors: plain });
        const run = spawnSync("patch", ["-s", "-p1", "-d", dir], { input: diff });
        expect(run.status, `${run.stdout}${run.stderr}\n${diff}`).toBe(0);
        expect(readFileSync(file, "utf8")).toBe(after);
      }),
      { numRuns: 40 },
    );
  });
});
