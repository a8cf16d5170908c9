import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Application } from "../types.js";
import { loadApplication, looksLikeApplication, ModuleLoadError } from "./load.js";
import { urlMap } from "./url-map.js";
import { mountedEntries } from "./index-page.js";
import { withIndex } from "./with-index.js";

/** The applications found under a directory. */
export interface MountedDirectory {
  /** One application dispatching to all of them. */
  application: Application;
  /** Mount point (SCRIPT_NAME) to file, in mount order. */
  mounts: Array<{ path: string; file: string }>;
  /** Mount points of modules that failed to load and were reported to `onError`. */
  failed: string[];
}

/** How to report modules that could not be mounted. */
export interface MountOptions {
  /** The URL prefix the directory is served under (`--mount`). Default: the root. */
  base?: string;
  /**
   * Called for a module that failed to load; it is left unmounted and the rest still serve.
   * Without it, such a module is a {@link ModuleLoadError}: it visibly exports an
   * application, so serving the directory without it would answer its URLs wrongly.
   */
  onError?: (file: string, error: unknown) => void;
  /**
   * Answer the mount's root (`/`, where no application can be mounted) with an index of what
   * is served: HTML links, or plain text for `Accept: text/plain`. Off by default, since the
   * list shows any client every path.
   */
  index?: boolean;
  /**
   * Wraps each module's application as it is mounted at `path` (for example to shadow it
   * with the legacy script it replaced); the default mounts it as it is.
   */
  wrap?: (application: Application, path: string, file: string) => Application;
}

/**
 * Front servers split SCRIPT_NAME and PATH_INFO as they see fit (nginx's FastCGI params put
 * the whole path in SCRIPT_NAME); a directory maps whole URL paths to files, so it rejoins
 * them and splits again at its own base.
 */
function rejoinPath(app: Application, base: string): Application {
  const prefix = base.replace(/\/+$/, "");
  return (environ, start_response) => {
    const path = environ.SCRIPT_NAME + environ.PATH_INFO;
    if (path !== prefix && !path.startsWith(prefix + "/")) {
      start_response("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
      return [`Not Found: ${path} is outside ${prefix}\n`];
    }
    return app(
      { ...environ, SCRIPT_NAME: prefix, PATH_INFO: path.slice(prefix.length) },
      start_response,
    );
  };
}

const SKIP = new Set(["node_modules", ".git"]);

/**
 * Mounts every module under `dir` that exports an application at `/<path relative to dir>`
 * (for example `cgi-bin/form.mjs` at `/cgi-bin/form.mjs`); everything else is left alone.
 * A module that fails to load rejects with a {@link ModuleLoadError}, or is reported to
 * `onError` and skipped.
 *
 * @example
 * const { application, mounts } = await mountDirectory("./migrated");
 * createHttpServer(application).listen(8000);
 */
export async function mountDirectory(
  dir: string,
  options: MountOptions = {},
): Promise<MountedDirectory> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter(
      (file) =>
        !relative(dir, file)
          .split(sep)
          .some((part) => SKIP.has(part)),
    )
    .sort();
  const map: Record<string, Application> = {};
  const mounts: MountedDirectory["mounts"] = [];
  const failed: string[] = [];
  for (const file of files) {
    if (!(await looksLikeApplication(file))) continue;
    const path = "/" + relative(dir, file).split(sep).join("/");
    try {
      const application = await loadApplication(file);
      map[path] = options.wrap ? options.wrap(application, path, file) : application;
      mounts.push({ path, file });
    } catch (error) {
      if (!options.onError) throw new ModuleLoadError(file, error);
      options.onError(file, error);
      failed.push(path);
    }
  }
  const mapped = urlMap(map);
  const application = options.index
    ? withIndex(mapped, () => mountedEntries({ mounts, failed }))
    : mapped;
  return { application: rejoinPath(application, options.base ?? ""), mounts, failed };
}
