import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The files under `paths` that git reports as modified, staged or untracked, relative to the
 * repository root; `undefined` when `cwd` is not inside a git work tree (or git is missing),
 * since there is then nothing to protect.
 *
 * @example
 * const dirty = await uncommittedFiles(process.cwd(), ["cgi-bin"]);
 * if (dirty?.length) throw new UsageError("commit first");
 */
export async function uncommittedFiles(
  cwd: string,
  paths: string[],
): Promise<string[] | undefined> {
  try {
    await run("git", ["rev-parse", "--is-inside-work-tree"], { cwd });
  } catch {
    return undefined;
  }
  const dirty: string[] = [];
  // Literal pathspecs, a few hundred at a time so a large tree stays under the argv limit.
  for (let start = 0; start < paths.length; start += 500) {
    const { stdout } = await run(
      "git",
      [
        "--literal-pathspecs",
        "status",
        "--porcelain",
        "-z",
        "--untracked-files=all",
        "--",
        ...paths.slice(start, start + 500),
      ],
      { cwd, maxBuffer: 64 * 1024 * 1024 },
    );
    for (const entry of stdout.split("\0")) if (entry.length > 3) dirty.push(entry.slice(3));
  }
  return dirty;
}
