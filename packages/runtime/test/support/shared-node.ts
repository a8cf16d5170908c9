import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, realpathSync } from "node:fs";
import { renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { runnableByAll } from "./reach.js";

/**
 * `program` itself where every user may run it, else a copy of it kept under `cacheRoot`
 * (one per build of the program: path, size and mtime) that they may run. Kept across runs,
 * like any tool cache.
 *
 * @example
 * const sh = programForAll("/root/bin/tool", tmpdir()); // ".../cgi2wsgi-bin-0/3f…/tool"
 */
export function programForAll(program: string, cacheRoot: string): string {
  if (runnableByAll(program)) return program;
  const real = realpathSync(program);
  const build = statSync(real);
  const key = createHash("sha256")
    .update(`${real}\0${build.size}\0${build.mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const cache = ownDir(join(cacheRoot, `cgi2wsgi-bin-${process.getuid?.() ?? 0}`));
  const file = join(ownDir(join(cache, key)), basename(program));
  if (!existsSync(file)) {
    // Copied under a private name and renamed, so parallel test files never run half a copy.
    const part = `${file}.${process.pid}`;
    copyFileSync(real, part);
    chmodSync(part, 0o755);
    renameSync(part, file);
  }
  return file;
}

let found: string | undefined;

/**
 * A Node binary every user may run, for CGI programs that Apache's www-data children start:
 * this process's own, or a copy of it when that sits out of their reach (a Node installed
 * under root's mode-700 home, as nvm does).
 *
 * @example
 * const shebang = `#!${sharedNode()}`;
 */
export function sharedNode(): string {
  return (found ??= programForAll(process.execPath, tmpdir()));
}

/**
 * The servers' PATH: what a service manager gives, after the folder of {@link sharedNode}
 * when that is elsewhere, so `#!/usr/bin/env node` scripts find the Node the tests run.
 *
 * @example
 * startProcess("fcgiwrap", args, { env: { PATH: serverPath(), LANG: "C.UTF-8" } });
 */
export function serverPath(): string {
  const system = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  const nodeDir = dirname(sharedNode());
  return system.split(":").includes(nodeDir) ? system : `${nodeDir}:${system}`;
}

/** Makes `dir` (mode 0755) or checks that the one found is this user's and closed to others. */
function ownDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const info = lstatSync(dir);
  // What it holds runs as root too: a folder someone else made or may write is refused.
  if (!info.isDirectory() || info.uid !== process.getuid?.() || (info.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a folder of this user closed to others' writes; remove it`);
  }
  chmodSync(dir, 0o755);
  return dir;
}
