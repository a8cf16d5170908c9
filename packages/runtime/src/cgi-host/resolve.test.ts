import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ScriptForbiddenError, ScriptNotFoundError } from "./errors.js";
import { resolveScript } from "./resolve.js";

const base = realpathSync(mkdtempSync(join(tmpdir(), "resolve-")));
const root = join(base, "root");
mkdirSync(join(root, "a", "b"), { recursive: true });
mkdirSync(join(root, "node_modules"));
writeFileSync(join(root, "a", "b", "run.sh"), "#!/bin/sh\n");
chmodSync(join(root, "a", "b", "run.sh"), 0o755);
writeFileSync(join(root, "data.js"), "1\n");
writeFileSync(join(root, "node_modules", "x.sh"), "#!/bin/sh\n");
chmodSync(join(root, "node_modules", "x.sh"), 0o755);
writeFileSync(join(base, "out.sh"), "#!/bin/sh\n");
chmodSync(join(base, "out.sh"), 0o755);
symlinkSync(join(base, "out.sh"), join(root, "link-out.sh"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const failure = (path: string, options = {}) =>
  resolveScript(root, path, options).then(
    () => "resolved",
    (error: Error) => error.constructor.name,
  );

describe("resolveScript", () => {
  it("walks to the first file and leaves the rest as PATH_INFO", async () => {
    expect(await resolveScript(root, "/a/b/run.sh/x/y/", {})).toEqual({
      file: join(root, "a", "b", "run.sh"),
      scriptPath: "/a/b/run.sh",
      pathInfo: "/x/y/",
      command: [join(root, "a", "b", "run.sh")],
    });
    const bare = await resolveScript(root, "/a//b/run.sh", {});
    expect([bare.scriptPath, bare.pathInfo]).toEqual(["/a//b/run.sh", ""]);
  });

  it("uses the interpreter for its extension, which also lifts the executable rule", async () => {
    expect(await failure("/data.js")).toBe(ScriptForbiddenError.name);
    const found = await resolveScript(root, "/data.js", {
      interpreters: { ".js": ["/usr/bin/node", "--no-warnings"] },
    });
    expect(found.command).toEqual(["/usr/bin/node", "--no-warnings", join(root, "data.js")]);
  });

  it("refuses dot segments, NUL, symlinks out, hidden names and node_modules", async () => {
    expect(await failure("/a/../a/b/run.sh")).toBe(ScriptForbiddenError.name);
    expect(await failure("/a/b/run.sh/..")).toBe(ScriptForbiddenError.name);
    expect(await failure("/./a/b/run.sh")).toBe(ScriptForbiddenError.name);
    expect(await failure("/a/b/run.sh\0")).toBe(ScriptForbiddenError.name);
    expect(await failure("/link-out.sh")).toBe(ScriptForbiddenError.name);
    expect(await failure("/node_modules/x.sh")).toBe(ScriptNotFoundError.name);
    expect(await failure("/.git/config")).toBe(ScriptNotFoundError.name);
    expect(await failure("/a/b")).toBe(ScriptNotFoundError.name);
    expect(await failure("a/b/run.sh")).toBe(ScriptNotFoundError.name);
    expect(await failure("")).toBe(ScriptNotFoundError.name);
  });
});
