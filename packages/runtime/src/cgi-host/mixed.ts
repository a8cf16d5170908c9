import { realpathSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { mountedEntries, type IndexEntry } from "../mount/index-page.js";
import { mountDirectory, type MountOptions } from "../mount/directory.js";
import { loadApplication, looksLikeApplication, ModuleLoadError } from "../mount/load.js";
import { urlMap } from "../mount/url-map.js";
import { withIndex } from "../mount/with-index.js";
import type { Application } from "../types.js";
import { hostOn, scriptOn } from "./host.js";
import { listScripts } from "./list-scripts.js";
import { scriptRunner, type CgiHostOptions } from "./runner.js";

/** Options of {@link mixedDirectory}. */
export interface MixedDirectoryOptions extends CgiHostOptions, MountOptions {
  /**
   * URL paths served by something other than what the directory holds there, checked first:
   * an application, or a file (relative to the directory, or absolute) that is loaded
   * in-process when it exports an application and run as a CGI script otherwise. Use it to
   * serve a migrated module kept elsewhere, or to send a path back to its legacy script.
   */
  map?: Readonly<Record<string, string | Application>>;
  /** Called once per path served in-process, with the module file (or `"(application)"`). */
  onMount?: (path: string, file: string) => void;
}

/**
 * Serves a directory that is part migrated, part legacy, so a team can migrate one script
 * at a time: a module that exports an application runs in-process at `/<relative path>`
 * (as `mountDirectory` mounts it), every other path goes to the legacy CGI script there (as
 * {@link cgiHost} runs it), and the `map` option overrides either per path. Paths are whole
 * URL paths below `base` (default the root), whatever SCRIPT_NAME/PATH_INFO split the front
 * server sent. Legacy scripts share one pool of process slots.
 *
 * @example
 * const app = await mixedDirectory("./site", {
 *   timeout: 10_000,
 *   map: { "/cgi-bin/report.pl": "./legacy/report.pl" },
 * });
 * createHttpServer(app).listen(8000);
 */
export async function mixedDirectory(
  dir: string,
  options: MixedDirectoryOptions = {},
): Promise<Application> {
  const run = scriptRunner(options);
  const explicit: Record<string, Application> = {};
  const mapped: IndexEntry[] = [];
  for (const [path, target] of Object.entries(options.map ?? {})) {
    if (typeof target !== "string") {
      explicit[path] = target;
      mapped.push({ path, kind: "application" });
      options.onMount?.(path, "(application)");
      continue;
    }
    const file = isAbsolute(target) ? target : resolve(dir, target);
    if (await looksLikeApplication(file)) {
      explicit[path] = await loadApplication(file).catch((error: unknown) => {
        throw new ModuleLoadError(file, error);
      });
      mapped.push({ path, kind: "application" });
      options.onMount?.(path, file);
    } else {
      explicit[path] = scriptOn(run, file, options);
      mapped.push({ path, kind: "cgi" });
    }
  }
  const migrated = await mountDirectory(dir, { ...options, index: false });
  for (const { path, file } of migrated.mounts) options.onMount?.(path, file);
  const legacy = hostOn(run, dir, options);
  const byMap = urlMap(explicit);
  const mapPrefixes = Object.keys(explicit).map(trimSlash);
  const migratedPrefixes = migrated.mounts.map((m) => m.path);
  // A module that failed to load (reported to onError) is no CGI script: running it as one
  // would print nothing and answer 502 with no hint, so its URLs answer 500 instead.
  const failedPrefixes = migrated.failed;
  const base = trimSlash(options.base ?? "");
  const dispatch: Application = (environ, start_response) => {
    const path = environ.PATH_INFO;
    if (mapPrefixes.some((prefix) => under(path, prefix))) return byMap(environ, start_response);
    if (migratedPrefixes.some((prefix) => under(path, prefix))) {
      return migrated.application(environ, start_response);
    }
    if (failedPrefixes.some((prefix) => under(path, prefix))) {
      start_response("500 Internal Server Error", [["Content-Type", "text/plain; charset=utf-8"]]);
      return ["Internal Server Error: this application failed to load; see the server log\n"];
    }
    return legacy(environ, start_response);
  };
  const taken = [...mapPrefixes, ...migratedPrefixes, ...failedPrefixes];
  const listed = async (): Promise<IndexEntry[]> => [
    ...mapped,
    ...mountedEntries(migrated),
    ...(await listScripts(realpathSync(dir), options))
      .filter((path) => !taken.some((prefix) => under(path, prefix)))
      .map((path) => ({ path, kind: "cgi" as const })),
  ];
  // A map entry for "/" takes every path, the root included: then there is no index.
  const served =
    options.index && !mapPrefixes.includes("") ? withIndex(dispatch, listed) : dispatch;
  return (outer, start_response) => {
    // As mountDirectory does: the directory maps whole URL paths, whatever split the front
    // server sent (nginx's stock FastCGI params put the whole path in SCRIPT_NAME).
    const whole = outer.SCRIPT_NAME + outer.PATH_INFO;
    if (!under(whole, base)) {
      start_response("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
      return [`Not Found: ${whole} is outside ${base}\n`];
    }
    return served(
      { ...outer, SCRIPT_NAME: base, PATH_INFO: whole.slice(base.length) },
      start_response,
    );
  };
}

function trimSlash(path: string): string {
  return path.replace(/\/+$/, "");
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + "/");
}
