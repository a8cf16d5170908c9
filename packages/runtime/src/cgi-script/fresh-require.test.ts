import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freshRequire } from "./fresh-require.js";

const dir = mkdtempSync(join(tmpdir(), "fresh-require-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A script's folder with a stateful helper that loads another local module and a package.
mkdirSync(join(dir, "lib"));
mkdirSync(join(dir, "node_modules", "shared"), { recursive: true });
writeFileSync(
  join(dir, "lib", "counter.js"),
  "let n = 0; exports.next = () => ++n; exports.inner = require('./inner.js'); exports.shared = require('shared');\n",
);
writeFileSync(
  join(dir, "lib", "inner.js"),
  "exports.loads = (globalThis.__innerLoads = (globalThis.__innerLoads || 0) + 1);\n",
);
writeFileSync(join(dir, "node_modules", "shared", "index.js"), "exports.id = {};\n");
const scriptRequire = createRequire(join(dir, "script.js"));

describe("freshRequire", () => {
  it("loads a local module and its local modules afresh each time, packages once", () => {
    const first = freshRequire(scriptRequire, "./lib/counter.js") as Record<string, any>;
    expect([first.next(), first.next()]).toEqual([1, 2]);
    const second = freshRequire(scriptRequire, "./lib/counter.js") as Record<string, any>;
    expect(second.next()).toBe(1);
    expect(second.inner.loads).toBe(first.inner.loads + 1);
    expect(second.shared.id).toBe(first.shared.id);
  });

  it("does not keep every request's copy in the loading module's children", () => {
    // A migrated script: its application loads the helper afresh on each call.
    writeFileSync(
      join(dir, "app.js"),
      "exports.run = (fresh) => fresh(require, './lib/counter.js').next();\n",
    );
    const app = scriptRequire("./app.js") as { run: (fresh: typeof freshRequire) => number };
    const module = scriptRequire.cache[scriptRequire.resolve("./app.js")]!;
    const runs = [1, 2, 3, 4, 5].map(() => app.run(freshRequire));
    expect(runs).toEqual([1, 1, 1, 1, 1]);
    expect(module.children.length).toBe(1);
  });
});
