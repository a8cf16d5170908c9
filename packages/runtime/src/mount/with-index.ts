import type { Application } from "../types.js";
import { prefersPlainText, renderIndex, type IndexEntry } from "./index-page.js";

/**
 * Middleware that answers the mount's root (PATH_INFO `""` or `/`) with an index of what is
 * served below it, and passes every other path on untouched. `list` runs per index request,
 * so scripts added since start-up show; other requests pay one string comparison.
 *
 * @example
 * const app = withIndex(urlMap(apps), () => [{ path: "/form.cjs", kind: "application" }]);
 */
export function withIndex(
  app: Application,
  list: () => readonly IndexEntry[] | Promise<readonly IndexEntry[]>,
): Application {
  return (environ, start_response) => {
    if (environ.PATH_INFO !== "" && environ.PATH_INFO !== "/") return app(environ, start_response);
    if (environ.REQUEST_METHOD !== "GET" && environ.REQUEST_METHOD !== "HEAD") {
      start_response("405 Method Not Allowed", [
        ["Content-Type", "text/plain; charset=utf-8"],
        ["Allow", "GET, HEAD"],
      ]);
      return ["Method Not Allowed: the index answers GET and HEAD\n"];
    }
    return Promise.resolve(list()).then((entries) => {
      const page = renderIndex(entries, {
        base: environ.SCRIPT_NAME,
        plain: prefersPlainText(environ.HTTP_ACCEPT),
      });
      start_response(page.status, page.headers);
      return [page.body];
    });
  };
}
