import { randomUUID } from "node:crypto";
import { open, unlink, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { WsgiInput } from "../types.js";

const BLOCK = 64 * 1024;

/**
 * Copies the request body into an unlinked temporary file whose offset is still 0, from
 * which the script's stdin pipe is fed. Not a Node "pipe": those are socket pairs, and
 * scripts that read `/dev/stdin` (`fs.readFileSync("/dev/stdin")`, `cat /dev/stdin`) fail
 * on a socket with ENXIO. The body is complete before the application runs, so nothing is
 * lost by not streaming it. Close the handle once the child is gone.
 *
 * @example
 * const stdin = await bodyFile(environ["wsgi.input"]);
 * spawn(file, [], { stdio: [stdin.fd, "pipe", "pipe"] });
 * await stdin.close();
 */
export async function bodyFile(input: WsgiInput): Promise<FileHandle> {
  const path = join(tmpdir(), `cgi2wsgi-stdin-${randomUUID()}`);
  const handle = await open(path, "wx+", 0o600);
  // Unlinked at once: the file lives as long as its descriptors, so nothing stays on disk.
  await unlink(path);
  try {
    let position = 0;
    for (let chunk = input.read(BLOCK); chunk.length > 0; chunk = input.read(BLOCK)) {
      // Positional writes leave the shared file offset at 0, where the script starts reading.
      await handle.write(chunk, 0, chunk.length, position);
      position += chunk.length;
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
