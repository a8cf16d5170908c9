import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEPLOY_MD, parseSnippets, substitute } from "./snippets.js";

describe("docs/deploy.md snippets", () => {
  it("finds marked blocks with their language and text", () => {
    const md = "text\n```nginx test=a\nserver {}\n```\n```sh\nnot marked\n```\n";
    expect([...parseSnippets(md).values()]).toEqual([
      { name: "a", lang: "nginx", text: "server {}\n" },
    ]);
  });

  it("substitutes whole tokens only", () => {
    const text = "127.0.0.1:9000 19000 /srv/app/app.ts /srv/application";
    expect(substitute(text, { "9000": "1", "/srv/app": "/tmp/x" })).toBe(
      "127.0.0.1:1 19000 /tmp/x/app.ts /srv/application",
    );
  });

  it("has a test for every marked block", () => {
    const names = [...parseSnippets(readFileSync(DEPLOY_MD, "utf8")).keys()];
    expect(names.length).toBeGreaterThan(20);
    const dir = new URL(".", import.meta.url);
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && !f.startsWith("snippets."))
      .map((f) => readFileSync(new URL(f, dir), "utf8"))
      .join("\n");
    const untested = names.filter((name) => !sources.includes(`"${name}"`));
    expect(untested).toEqual([]);
  });
});
