import { constants } from "node:fs";
import { access, realpath, stat } from "node:fs/promises";
import { extname, join, sep } from "node:path";
import { ScriptForbiddenError, ScriptNotFoundError } from "./errors.js";

/** A request path mapped to a script, split as a CGI server splits it. */
export interface ResolvedScript {
  /** The script's real path (symlinks resolved), inside the script directory. */
  file: string;
  /** The URL path of the script below the host's mount, e.g. `/cgi-bin/env.sh`. */
  scriptPath: string;
  /** What follows the script in the path, `""` when nothing does. */
  pathInfo: string;
  /** The command that runs it: the configured interpreter, or the file itself. */
  command: readonly string[];
}

/** How scripts are found and run. */
export interface ResolveOptions {
  /** Interpreter per file extension, e.g. `{ ".js": [process.execPath] }`. */
  interpreters?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Names never served, whatever their mode: hidden files and directories (.git, .env,
 * .htaccess) and installed dependencies.
 *
 * @example
 * HIDDEN(".env"); // true
 */
export const HIDDEN = (segment: string): boolean =>
  segment.startsWith(".") || segment === "node_modules";

/**
 * Maps `pathInfo` to a script under `root`: walks the path one segment at a time until it
 * reaches a file, which is the script; the rest of the path is its PATH_INFO. Refuses `.`
 * and `..` segments anywhere (403), hidden names (404), scripts whose real path is outside
 * the real `root` (a symlink pointing out, 403), and files that are neither executable nor
 * covered by an interpreter (403). `root` must be a real path.
 *
 * @example
 * await resolveScript("/srv/cgi", "/cgi-bin/env.sh/a/b", {});
 * // { file: "/srv/cgi/cgi-bin/env.sh", scriptPath: "/cgi-bin/env.sh", pathInfo: "/a/b", command: ["/srv/cgi/cgi-bin/env.sh"] }
 */
export async function resolveScript(
  root: string,
  pathInfo: string,
  options: ResolveOptions,
): Promise<ResolvedScript> {
  const segments = pathInfo.split("/");
  if (segments[0] !== "") throw new ScriptNotFoundError(pathInfo);
  if (segments.some((s) => s === "." || s === "..")) {
    throw new ScriptForbiddenError(pathInfo, "the path holds a . or .. segment");
  }
  if (pathInfo.includes("\0")) throw new ScriptForbiddenError(pathInfo, "the path holds a NUL");
  let current = root;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === "") continue;
    if (HIDDEN(segment)) throw new ScriptNotFoundError(pathInfo);
    current = join(current, segment);
    const info = await stat(current).catch(() => undefined);
    if (!info) throw new ScriptNotFoundError(pathInfo);
    if (info.isDirectory()) continue;
    if (!info.isFile()) throw new ScriptNotFoundError(pathInfo);
    const rest = segments.slice(i + 1);
    return checked(root, current, {
      scriptPath: segments.slice(0, i + 1).join("/"),
      pathInfo: rest.length === 0 ? "" : "/" + rest.join("/"),
      options,
    });
  }
  throw new ScriptNotFoundError(pathInfo);
}

async function checked(
  root: string,
  candidate: string,
  found: { scriptPath: string; pathInfo: string; options: ResolveOptions },
): Promise<ResolvedScript> {
  const file = await realpath(candidate);
  // A symlink may point anywhere; only its target decides what runs.
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    throw new ScriptForbiddenError(
      found.scriptPath,
      "its real path is outside the script directory",
    );
  }
  const interpreter = found.options.interpreters?.[extname(file)];
  const mode = interpreter ? constants.R_OK : constants.X_OK;
  try {
    await access(file, mode);
  } catch {
    throw new ScriptForbiddenError(
      found.scriptPath,
      interpreter
        ? "it is not readable"
        : `it is not executable; chmod +x it, or configure an interpreter for "${extname(file) || "(no extension)"}"`,
    );
  }
  return {
    file,
    scriptPath: found.scriptPath,
    pathInfo: found.pathInfo,
    command: interpreter ? [...interpreter, file] : [file],
  };
}
