import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../test-client/request.js";
import { mountDirectory, type MountedDirectory } from "./directory.js";
import { ModuleLoadError } from "./load.js";

let dir: string;
let mounted: MountedDirectory;
const failures: string[] = [];

const esm = (name: string) =>
  `export function application(environ, start_response) {
  start_response("200 OK", [["Content-Type", "text/plain"]]);
  return [${JSON.stringify(name)} + " " + environ.SCRIPT_NAME + " " + environ.PATH_INFO];
}\n`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "mount-"));
  mkdirSync(join(dir, "cgi-bin"));
  mkdirSync(join(dir, "node_modules", "dep"), { recursive: true });
  writeFileSync(join(dir, "cgi-bin", "esm.mjs"), esm("esm"));
  writeFileSync(
    join(dir, "cgi-bin", "common.cjs"),
    `exports.application = (environ, start) => { start("200 OK", []); return ["cjs " + environ.PATH_INFO]; };\n`,
  );
  writeFileSync(
    join(dir, "default.mjs"),
    `export default (environ, start) => { start("200 OK", []); return ["default"]; };\n`,
  );
  writeFileSync(
    join(dir, "typed.ts"),
    `import type { Application } from "@cgi2wsgi/runtime";\nexport const application: Application = (_e, start) => { start("200 OK", []); return ["ts"]; };\n`,
  );
  // A legacy CGI script: importing it would write to this process's stdout. Never loaded.
  writeFileSync(
    join(dir, "cgi-bin", "legacy.js"),
    `throw new Error("legacy script must not be imported"); console.log("Content-Type: text/plain\\n");\n`,
  );
  writeFileSync(join(dir, "broken.mjs"), `export function application( {\n`);
  writeFileSync(join(dir, "node_modules", "dep", "index.mjs"), esm("dep"));
  mounted = await mountDirectory(dir, { onError: (file) => failures.push(file) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("mountDirectory", () => {
  it("mounts every module that exports an application, at its relative path", () => {
    expect(mounted.mounts.map((m) => m.path)).toEqual([
      "/cgi-bin/common.cjs",
      "/cgi-bin/esm.mjs",
      "/default.mjs",
      "/typed.ts",
    ]);
  });

  it("reports a module that fails to load and keeps the others", () => {
    expect(failures).toEqual([join(dir, "broken.mjs")]);
  });

  it("dispatches with SCRIPT_NAME set to the mount and the rest as PATH_INFO", async () => {
    const res = await request(mounted.application, { path: "/cgi-bin/esm.mjs/extra/path" });
    expect(res.text()).toBe("esm /cgi-bin/esm.mjs /extra/path");
    expect((await request(mounted.application, { path: "/cgi-bin/common.cjs" })).text()).toBe(
      "cjs ",
    );
    expect((await request(mounted.application, { path: "/default.mjs" })).text()).toBe("default");
    expect((await request(mounted.application, { path: "/typed.ts" })).text()).toBe("ts");
  });

  it("maps the whole path, however the front server split SCRIPT_NAME and PATH_INFO", async () => {
    const res = await request(mounted.application, {
      mount: "/cgi-bin/esm.mjs/extra",
      path: "/cgi-bin/esm.mjs/extra/path",
    });
    expect(res.text()).toBe("esm /cgi-bin/esm.mjs /extra/path");
  });

  it("serves under a base prefix", async () => {
    const based = await mountDirectory(dir, { base: "/legacy", onError: () => {} });
    const res = await request(based.application, { path: "/legacy/cgi-bin/esm.mjs/x" });
    expect(res.text()).toBe("esm /legacy/cgi-bin/esm.mjs /x");
    expect((await request(based.application, { path: "/cgi-bin/esm.mjs" })).status).toBe(404);
  });

  it("rejects, naming the file and the cause, when a module fails to load and no onError is given", async () => {
    const failure = await mountDirectory(dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModuleLoadError);
    expect((failure as ModuleLoadError).file).toBe(join(dir, "broken.mjs"));
    expect((failure as Error).message).toContain(`cannot load ${join(dir, "broken.mjs")}: `);
  });

  it("answers 404 for paths with no application, legacy scripts included", async () => {
    expect((await request(mounted.application, { path: "/cgi-bin/legacy.js" })).status).toBe(404);
    expect((await request(mounted.application, { path: "/nothing" })).status).toBe(404);
  });
});
