import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inputBase, isOutside } from "./input-tree.js";

const dir = mkdtempSync(join(tmpdir(), "cli-input-tree-"));
mkdirSync(join(dir, "site/cgi-bin"), { recursive: true });
mkdirSync(join(dir, "site/lib"), { recursive: true });
writeFileSync(join(dir, "site/lib/util.js"), "");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("inputBase", () => {
  it("is a directory argument itself, a file's folder, a glob's fixed part, or what holds them all", () => {
    expect(inputBase(["site"], dir)).toBe(join(dir, "site"));
    expect(inputBase(["site/lib/util.js"], dir)).toBe(join(dir, "site/lib"));
    expect(inputBase(["site/cgi-bin/**/*.cjs"], dir)).toBe(join(dir, "site/cgi-bin"));
    expect(inputBase(["site/cgi-bin", "site/lib/util.js"], dir)).toBe(join(dir, "site"));
  });
});

describe("isOutside", () => {
  it("tells paths under a directory from siblings that share its name as a prefix", () => {
    expect(isOutside("/a/out", "/a/out")).toBe(false);
    expect(isOutside("/a/out", "/a/out/x.js")).toBe(false);
    expect(isOutside("/a/out", "/a/outer/x.js")).toBe(true);
    expect(isOutside("/a/out", "/a")).toBe(true);
    expect(isOutside("/a/out", "/a/out/..x/y")).toBe(false);
  });
});
