import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runnableByAll } from "./reach.js";
import { programForAll, sharedNode } from "./shared-node.js";
import { makeTempDir, removeTempDir } from "./temp-dir.js";

const root = process.getuid?.() === 0;
const WWW_DATA = Number(spawnSync("id", ["-u", "www-data"], { encoding: "utf8" }).stdout);

/** Runs `argv` as www-data (Apache's children) when root, else as this user. */
function asWwwData(argv: string[]): { status: number | null; stdout: string } {
  const [program, ...args] = argv;
  // spawn's uid drops every capability before exec (setpriv would keep them through the exec).
  const ids = root ? { uid: WWW_DATA, gid: WWW_DATA } : {};
  const run = spawnSync(program!, args, { encoding: "utf8", cwd: "/", ...ids });
  return { status: run.status, stdout: run.stdout };
}

describe("programForAll: a program every user may run, wherever it was installed", () => {
  let dir: string;
  let locked: string;
  beforeAll(async () => {
    dir = await makeTempDir("reach");
    // A program inside a mode-700 home, as nvm installs node under /root.
    mkdirSync(join(dir, "home"), { mode: 0o700 });
    chmodSync(join(dir, "home"), 0o700);
    locked = join(dir, "home", "sh");
    copyFileSync("/bin/sh", locked);
    chmodSync(locked, 0o755);
  });
  afterAll(() => removeTempDir(dir));

  it("is the program itself where others reach it", () => {
    expect(programForAll("/bin/sh", join(dir, "cache"))).toBe("/bin/sh");
  });

  it("is a copy others reach for one in a mode-700 folder, made once per build", () => {
    expect(runnableByAll(locked)).toBe(false);
    const copy = programForAll(locked, join(dir, "cache"));
    expect(copy.startsWith(join(dir, "cache"))).toBe(true);
    expect(copy.endsWith("/sh")).toBe(true);
    expect(runnableByAll(copy)).toBe(true);
    expect(programForAll(locked, join(dir, "cache"))).toBe(copy);
    expect(asWwwData([copy, "-c", "echo ok"])).toEqual({ status: 0, stdout: "ok\n" });
    if (root) expect(asWwwData([locked, "-c", "echo ok"]).status).not.toBe(0);
  });

  it("refuses a cache folder that others may write", () => {
    const cache = join(dir, "open");
    const own = join(cache, `cgi2wsgi-bin-${process.getuid?.() ?? 0}`);
    mkdirSync(own, { recursive: true });
    chmodSync(own, 0o777);
    expect(() => programForAll(locked, cache)).toThrow(`${own} is not a folder of this user`);
  });

  it("sharedNode() runs for www-data", () => {
    const run = asWwwData([sharedNode(), "-e", "process.stdout.write('ok')"]);
    expect(run).toEqual({ status: 0, stdout: "ok" });
  });
});
