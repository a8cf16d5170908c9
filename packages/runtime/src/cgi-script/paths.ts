import { isAbsolute, resolve } from "node:path";

/**
 * A path as the migrated script meant it under CGI, where the working directory was the
 * script's own folder: a relative string is resolved against `dir`; absolute strings, file
 * descriptors, `URL`s and Buffers are returned unchanged.
 *
 * @example
 * fs.readFileSync(cgiPath(__dirname, CONFIG_FILE)); // "./config.json" -> "<script dir>/config.json"
 */
export function cgiPath<T>(dir: string, path: T): T | string {
  if (typeof path !== "string" || path === "" || isAbsolute(path)) return path;
  return resolve(dir, path);
}
