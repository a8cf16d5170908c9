import { describe, expect, it } from "vitest";
import { parseGitignore, isIgnored } from "./gitignore.js";
import { globToRegExp, isGlob } from "./glob.js";

describe("globToRegExp", () => {
  it("keeps * within a segment and lets ** span segments", () => {
    expect(globToRegExp("*.js").test("a.js")).toBe(true);
    expect(globToRegExp("*.js").test("dir/a.js")).toBe(false);
    expect(globToRegExp("src/**/*.js").test("src/a.js")).toBe(true);
    expect(globToRegExp("src/**/*.js").test("src/a/b/c.js")).toBe(true);
    expect(globToRegExp("src/**").test("src/a/b")).toBe(true);
  });

  it("supports ?, classes and braces, and escapes regex characters", () => {
    expect(globToRegExp("a?.{js,ts}").test("ab.ts")).toBe(true);
    expect(globToRegExp("[!x]y.js").test("zy.js")).toBe(true);
    expect(globToRegExp("[!x]y.js").test("xy.js")).toBe(false);
    expect(globToRegExp("a+b(1).js").test("a+b(1).js")).toBe(true);
    expect(isGlob("cgi-bin/x.js")).toBe(false);
    expect(isGlob("cgi-bin/*.js")).toBe(true);
  });
});

describe(".gitignore rules", () => {
  const file = parseGitignore(
    "/r",
    "# comment\nnode_modules/\n*.log\n!keep.log\n/build\ndocs/*.tmp\n\\#hash\n",
  );
  it("matches names at any depth, anchored paths from the base, directories only when marked", () => {
    expect(isIgnored([file], "/r/a/b.log", false)).toBe(true);
    expect(isIgnored([file], "/r/a/keep.log", false)).toBe(false);
    expect(isIgnored([file], "/r/build", true)).toBe(true);
    expect(isIgnored([file], "/r/src/build", true)).toBe(false);
    expect(isIgnored([file], "/r/x/node_modules", true)).toBe(true);
    expect(isIgnored([file], "/r/node_modules", false)).toBe(false);
    expect(isIgnored([file], "/r/docs/a.tmp", false)).toBe(true);
    expect(isIgnored([file], "/r/#hash", false)).toBe(true);
    expect(isIgnored([file], "/elsewhere/a.log", false)).toBe(false);
  });

  it("lets a deeper .gitignore override an outer one", () => {
    const inner = parseGitignore("/r/sub", "!important.log\n");
    expect(isIgnored([file, inner], "/r/sub/important.log", false)).toBe(false);
    expect(isIgnored([file, inner], "/r/sub/other.log", false)).toBe(true);
  });
});
