import { constants } from "node:fs";
import { access, readdir } from "node:fs/promises";
import { extname, join, relative, sep } from "node:path";
import { HIDDEN, type ResolveOptions } from "./resolve.js";

/**
 * The URL paths (below the host's mount) of the scripts a CGI host would run under `root`:
 * regular files outside hidden folders and node_modules that are executable, or readable
 * with an interpreter configured for their extension, as {@link resolveScript} decides.
 *
 * @example
 * await listScripts("/srv/cgi", { interpreters: { ".cjs": [process.execPath] } });
 * // ["/cgi-bin/form.cjs", "/env.sh"]
 */
export async function listScripts(root: string, options: ResolveOptions): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const scripts: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const segments = relative(root, file).split(sep);
    if (segments.some(HIDDEN)) continue;
    const mode = options.interpreters?.[extname(file)] ? constants.R_OK : constants.X_OK;
    const runnable = await access(file, mode).then(
      () => true,
      () => false,
    );
    if (runnable) scripts.push("/" + segments.join("/"));
  }
  return scripts.sort();
}
