import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { loadApplication, mountDirectory, type Application } from "@cgi2wsgi/runtime";

/** What `serve` will run: one application and the mounts it dispatches to. */
export interface ServeTarget {
  application: Application;
  mounts: Array<{ path: string; file: string }>;
}

/** The module or directory given to `serve` cannot be served. */
export class ServeTargetError extends Error {
  readonly code = "ERR_SERVE_TARGET";
}

/**
 * Loads the application(s) `serve` was pointed at: a module file (mounted at the root) or a
 * directory (every application module at its relative path).
 *
 * @example
 * const { application, mounts } = await loadServeTarget("migrated/", console.error);
 */
export async function loadServeTarget(
  target: string,
  warn: (text: string) => void,
  base?: string,
): Promise<ServeTarget> {
  const path = resolve(target);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ServeTargetError(`${target} does not exist; give a module file or a directory`);
  if (info.isFile()) {
    return { application: await loadApplication(path), mounts: [{ path: "/", file: path }] };
  }
  const mounted = await mountDirectory(path, {
    base,
    onError: (file, error) =>
      warn(`cgi2wsgi: skipped ${file}: ${error instanceof Error ? error.message : error}\n`),
  });
  if (mounted.mounts.length === 0) {
    throw new ServeTargetError(
      `no module under ${target} exports an application; run \`cgi2wsgi migrate ${target}\` first`,
    );
  }
  return mounted;
}
