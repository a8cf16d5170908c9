import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A fresh directory under the system temp dir, world-traversable (mode 0755) because Apache
 * runs its children as www-data and they must reach sockets and scripts inside it.
 *
 * @example
 * const dir = await makeTempDir("nginx");
 * await removeTempDir(dir);
 */
export async function makeTempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `cgi2wsgi-${label}-`));
  await chmod(dir, 0o755);
  return dir;
}

/**
 * Removes a directory made by {@link makeTempDir}, ignoring one that is already gone.
 *
 * @example
 * await removeTempDir(dir);
 */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Writes `text` to `file` with permission bits `mode`, making its folders first.
 *
 * @example
 * await putFile(join(dir, "cgi-bin/env.sh"), "#!/bin/sh\nenv\n", 0o755);
 */
export async function putFile(file: string, text: string, mode = 0o644): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  // Not writeFile's mode, which the umask masks and an existing file ignores.
  await chmod(file, mode);
}
