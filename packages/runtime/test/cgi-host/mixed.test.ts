import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mixedDirectory } from "../../src/cgi-host/mixed.js";
import { request } from "../../src/test-client/request.js";
import type { Application } from "../../src/types.js";
import { makeTempDir, putFile as put, removeTempDir } from "../support/index.js";

// One script in its legacy form and hand-migrated: the answers must not tell them apart.
const LEGACY_GREET = `#!/usr/bin/env node
const name = new URLSearchParams(process.env.QUERY_STRING).get("name") || "world";
console.log("Content-Type: text/plain\\nX-Served: greet\\n");
console.log("Hello, " + name + " at " + process.env.SCRIPT_NAME + process.env.PATH_INFO);
`;
const MIGRATED_GREET = `exports.application = (environ, start_response) => {
  const name = new URLSearchParams(environ.QUERY_STRING).get("name") || "world";
  start_response("200 OK", [["Content-Type", "text/plain"], ["X-Served", "greet"]]);
  return ["Hello, " + name + " at " + environ.SCRIPT_NAME + environ.PATH_INFO + "\\n"];
};
`;
const PID_SCRIPT = `#!/bin/sh
printf 'Content-Type: text/plain\\n\\nlegacy pid %s\\n' "$$"
`;

let base: string;
let legacyOnly: Application;
let mixed: Application;
const mounted: string[] = [];

beforeAll(async () => {
  base = await makeTempDir("mixed");
  await put(join(base, "before/cgi-bin/greet.cjs"), LEGACY_GREET, 0o755);
  await put(join(base, "site/cgi-bin/greet.cjs"), MIGRATED_GREET);
  await put(join(base, "site/cgi-bin/pid.sh"), PID_SCRIPT, 0o755);
  await put(join(base, "site/lib/helper.cjs"), `module.exports = 1;\n`);
  await put(
    join(base, "elsewhere/api.mjs"),
    `export function application(environ, start_response) {\n  start_response("200 OK", [["Content-Type", "text/plain"]]);\n  return ["mapped module " + environ.SCRIPT_NAME + "|" + environ.PATH_INFO];\n}\n`,
  );
  await put(join(base, "elsewhere/old.sh"), PID_SCRIPT.replace("legacy pid", "rolled back"), 0o755);
  legacyOnly = await mixedDirectory(join(base, "before"));
  mixed = await mixedDirectory(join(base, "site"), {
    map: { "/api": join(base, "elsewhere/api.mjs"), "/cgi-bin/old": "../elsewhere/old.sh" },
    onMount: (path) => mounted.push(path),
  });
});
afterAll(() => removeTempDir(base));

describe("mixedDirectory", () => {
  it("answers the same for a script before and after its migration", async () => {
    for (const req of [
      { path: "/cgi-bin/greet.cjs" },
      { path: "/cgi-bin/greet.cjs/extra", query: "name=Ada" },
      { path: "/cgi-bin/greet.cjs", method: "HEAD" },
    ]) {
      const before = await request(legacyOnly, req);
      const after = await request(mixed, req);
      expect([after.status, after.headers, after.text()]).toEqual([
        before.status,
        before.headers,
        before.text(),
      ]);
    }
    expect((await request(mixed, { path: "/cgi-bin/greet.cjs/x" })).text()).toBe(
      "Hello, world at /cgi-bin/greet.cjs/x\n",
    );
  });

  it("runs migrated modules in-process and legacy scripts as processes", async () => {
    expect(mounted).toEqual(["/api", "/cgi-bin/greet.cjs"]);
    const one = (await request(mixed, { path: "/cgi-bin/pid.sh" })).text();
    const two = (await request(mixed, { path: "/cgi-bin/pid.sh" })).text();
    expect(one).toMatch(/^legacy pid \d+\n$/);
    expect(one).not.toBe(two);
    expect(one).not.toContain(`pid ${process.pid}\n`);
  });

  it("applies the explicit map first: a module kept elsewhere, a path sent back to CGI", async () => {
    expect((await request(mixed, { path: "/api/v1/items" })).text()).toBe(
      "mapped module /api|/v1/items",
    );
    expect((await request(mixed, { path: "/cgi-bin/old/more" })).text()).toMatch(
      /^rolled back \d+\n$/,
    );
  });

  it("maps whole URL paths below its base, whatever split the front server sent", async () => {
    const under = await mixedDirectory(join(base, "site"), { base: "/site" });
    const split = await request(under, { mount: "/site", path: "/site/cgi-bin/greet.cjs/x" });
    expect(split.text()).toBe("Hello, world at /site/cgi-bin/greet.cjs/x\n");
    // nginx's stock fastcgi_params: the whole path in SCRIPT_NAME, no PATH_INFO.
    const whole = await request(under, {
      path: "/site/cgi-bin/pid.sh",
      environ: { SCRIPT_NAME: "/site/cgi-bin/pid.sh", PATH_INFO: "" },
    });
    expect(whole.text()).toMatch(/^legacy pid \d+\n$/);
    expect((await request(under, { path: "/elsewhere/cgi-bin/pid.sh" })).status).toBe(404);
  });

  it("leaves helper modules and missing paths alone", async () => {
    expect((await request(mixed, { path: "/lib/helper.cjs" })).status).toBe(403);
    expect((await request(mixed, { path: "/nothing" })).status).toBe(404);
  });
});
