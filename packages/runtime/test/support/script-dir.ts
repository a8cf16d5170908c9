import { chmod, writeFile } from "node:fs/promises";
import { makeTempDir } from "./temp-dir.js";

/**
 * Writes executable scripts (mode 0755, readable by Apache's www-data children) into a fresh
 * temp dir and returns its path. Remove it with `removeTempDir`.
 *
 * @example
 * const dir = await makeScriptDir({ "hello.sh": "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nhi'\n" });
 */
export async function makeScriptDir(scripts: Record<string, string>): Promise<string> {
  const dir = await makeTempDir("scripts");
  for (const [name, text] of Object.entries(scripts)) {
    await writeFile(`${dir}/${name}`, text);
    await chmod(`${dir}/${name}`, 0o755);
  }
  return dir;
}
