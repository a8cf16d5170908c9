import { watch, type FSWatcher } from "node:fs";

const SETTLE_MS = 200;

/**
 * Development reloading (`--reload`): watches files and directories (recursively) and calls
 * `reload` once changes settle, so an editor's burst of writes restarts the workers once.
 * Changes under `node_modules` and dot-directories are ignored.
 *
 * @example
 * watchForReload(["migrated/"], log, () => supervisor.reload());
 */
export function watchForReload(
  paths: readonly string[],
  log: (text: string) => void,
  reload: () => void,
): FSWatcher[] {
  let timer: NodeJS.Timeout | undefined;
  let changed = "";
  const onChange = (file: string): void => {
    if (/(^|\/)(node_modules|\.[^/]+)(\/|$)/.test(file)) return;
    changed = file;
    clearTimeout(timer);
    timer = setTimeout(() => {
      log(`cgi2wsgi: ${changed} changed; reloading\n`);
      reload();
    }, SETTLE_MS);
  };
  return paths.map((path) => {
    const watcher = watch(path, { recursive: true }, (_event, name) =>
      onChange(name ? `${path.replace(/\/$/, "")}/${name}` : path),
    );
    watcher.on("error", (error) => log(`cgi2wsgi: cannot watch ${path}: ${String(error)}\n`));
    watcher.unref();
    return watcher;
  });
}
