import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import {
  loadApplication,
  mixedDirectory,
  mountDirectory,
  type Application,
} from "@cgi2wsgi/runtime";

/** What `serve` will run: one application and the in-process mounts it dispatches to. */
export interface ServeTarget {
  application: Application;
  mounts: Array<{ path: string; file: string }>;
  /** The directory whose other executable scripts run as CGI, if any. */
  legacyDir?: string;
}

/** How `serve` treats a directory. */
export interface TargetOptions {
  /** URL prefix the directory is served under. */
  base?: string;
  /** Serve only modules that export an application; leave legacy scripts alone. */
  modulesOnly?: boolean;
  /** Wraps each module's application as it is mounted (`serve --shadow`). */
  wrap?: (application: Application, path: string, file: string) => Application;
}

/** The module or directory given to `serve` cannot be served. */
export class ServeTargetError extends Error {
  readonly code = "ERR_SERVE_TARGET";
}

/**
 * Loads what `serve` was pointed at: a module file (mounted at the root), or a directory:
 * every application module in-process at its relative path, and every other executable
 * script there as a CGI program, so a team can migrate one script at a time.
 *
 * @example
 * const { application, mounts } = await loadServeTarget("site/", console.error);
 */
export async function loadServeTarget(
  target: string,
  warn: (text: string) => void,
  options: TargetOptions = {},
): Promise<ServeTarget> {
  const path = resolve(target);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ServeTargetError(`${target} does not exist; give a module file or a directory`);
  if (info.isFile()) {
    const application = await loadApplication(path);
    return {
      application: options.wrap ? options.wrap(application, "/", path) : application,
      mounts: [{ path: "/", file: path }],
    };
  }
  const onError = (file: string, error: unknown) =>
    warn(`cgi2wsgi: skipped ${file}: ${error instanceof Error ? error.message : error}\n`);
  if (!options.modulesOnly) {
    const mounts: ServeTarget["mounts"] = [];
    const application = await mixedDirectory(path, {
      base: options.base,
      onError,
      wrap: options.wrap,
      onMount: (mount, file) => mounts.push({ path: mount, file }),
      // Legacy Node scripts need not be executable: run them with this Node binary.
      interpreters: {
        ".js": [process.execPath],
        ".cjs": [process.execPath],
        ".mjs": [process.execPath],
      },
    });
    return { application, mounts, legacyDir: path };
  }
  const mounted = await mountDirectory(path, { base: options.base, onError, wrap: options.wrap });
  if (mounted.mounts.length === 0) {
    throw new ServeTargetError(
      `no module under ${target} exports an application; run \`cgi2wsgi migrate ${target}\` first`,
    );
  }
  return mounted;
}
