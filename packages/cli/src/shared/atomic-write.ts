import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes a file whole or not at all: the data goes to a temporary file beside the target
 * (same file system, so the rename is atomic), is flushed to disk, and is then renamed over
 * the target. Readers see the old file or the new one, never a part; a failed write leaves
 * the target as it was and no temporary file behind.
 *
 * @example
 * await writeFileAtomic("cgi-bin/form.cjs", migrated, { mode: 0o755 });
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: { mode?: number } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    const handle = await open(temporary, "wx", options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      // The umask trims the mode given to open(); chmod gives the file the mode asked for.
      if (options.mode !== undefined) await handle.chmod(options.mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
