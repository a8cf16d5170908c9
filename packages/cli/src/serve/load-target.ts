import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadTypeScript, provideRuntime, TYPESCRIPT_FILE } from "@cgi2wsgi/codemod/load";
import {
  loadApplication,
  mixedDirectory,
  ModuleLoadError,
  NoApplicationError,
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
  /** Answer the directory's root with an index of what it serves. */
  index?: boolean;
  /** Wraps each module's application as it is mounted (`serve --shadow`). */
  wrap?: (application: Application, path: string, file: string) => Application;
  /**
   * Milliseconds a legacy script may run before it is killed (504 before its headers, a
   * cut-off response after); `serve --timeout`. Default: the CGI host's 30 s; 0: none.
   */
  scriptTimeout?: number;
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
 * const { application, mounts } = await loadServeTarget("site/");
 */
export async function loadServeTarget(
  target: string,
  options: TargetOptions = {},
): Promise<ServeTarget> {
  const path = resolve(target);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ServeTargetError(`${target} does not exist; give a module file or a directory`);
  // What migrate wrote must load here: its runtime import resolves even where the project
  // has no node_modules yet, and .ts modules run with no build step.
  provideRuntime();
  if (info.isFile()) {
    if (TYPESCRIPT_FILE.test(path)) await loadTypeScript();
    const application = await loadApplication(path).catch((error: unknown) => {
      throw error instanceof NoApplicationError ? error : new ModuleLoadError(path, error);
    });
    return {
      application: options.wrap ? options.wrap(application, "/", path) : application,
      mounts: [{ path: "/", file: path }],
    };
  }
  if (await holdsTypeScript(path)) await loadTypeScript();
  if (!options.modulesOnly) {
    const mounts: ServeTarget["mounts"] = [];
    const application = await mixedDirectory(path, {
      base: options.base,
      index: options.index,
      wrap: options.wrap,
      onMount: (mount, file) => mounts.push({ path: mount, file }),
      timeout: options.scriptTimeout,
      // Legacy Node scripts need not be executable: run them with this Node binary.
      interpreters: {
        ".js": [process.execPath],
        ".cjs": [process.execPath],
        ".mjs": [process.execPath],
      },
    });
    return { application, mounts, legacyDir: path };
  }
  const mounted = await mountDirectory(path, {
    base: options.base,
    index: options.index,
    wrap: options.wrap,
  });
  if (mounted.mounts.length === 0) {
    throw new ServeTargetError(
      `no module under ${target} exports an application; run \`cgi2wsgi migrate ${target}\` first`,
    );
  }
  return mounted;
}

async function holdsTypeScript(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.some(
    (entry) =>
      entry.isFile() &&
      TYPESCRIPT_FILE.test(entry.name) &&
      !entry.name.endsWith(".d.ts") &&
      !join(entry.parentPath, entry.name).split(/[\\/]/).includes("node_modules"),
  );
}
