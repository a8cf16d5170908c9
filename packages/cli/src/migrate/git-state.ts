import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UsageError } from "../shared/errors.js";

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

/**
 * Throws a {@link UsageError} when git reports uncommitted changes among `files`, so an
 * in-place rewrite can always be reviewed and undone with git. Resolves to true when git
 * holds every one of them as it is, false when `cwd` is not in a git work tree.
 *
 * @example
 * const inGit = values["allow-dirty"] ? false : await refuseDirty(io.cwd, files);
 */
export async function refuseDirty(cwd: string, files: string[]): Promise<boolean> {
  let dirty: string[] | undefined;
  try {
    dirty = await uncommittedFiles(cwd, files);
  } catch (error) {
    throw new UsageError(
      `cannot ask git whether the files are committed (${(error as Error).message.split("\n")[0]}); pass --allow-dirty to skip this check`,
    );
  }
  if (dirty && dirty.length > 0) {
    const shown =
      dirty.slice(0, 5).join(", ") + (dirty.length > 5 ? `, and ${dirty.length - 5} more` : "");
    throw new UsageError(
      `refusing to rewrite files with uncommitted changes in place (${shown}); commit or stash them first so the migration can be reviewed and undone with git, or pass --allow-dirty, --out-dir DIR or --dry-run`,
    );
  }
  return dirty !== undefined;
}
