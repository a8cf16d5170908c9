import type { Application } from "../types.js";

/**
 * Middleware that dispatches on the path to several applications, longest mount first:
 * the matched mount moves from PATH_INFO onto SCRIPT_NAME, as a CGI server does for a script
 * in a directory. Unmatched paths get a 404.
 *
 * @example
 * const app = urlMap({ "/cgi-bin/form.mjs": form, "/api": api });
 */
export function urlMap(mounts: Record<string, Application>): Application {
  const entries = Object.entries(mounts)
    .map(([prefix, app]) => [prefix.replace(/\/+$/, ""), app] as const)
    .sort((a, b) => b[0].length - a[0].length);
  return (environ, start_response) => {
    const path = environ.PATH_INFO;
    for (const [prefix, app] of entries) {
      if (path === prefix || path.startsWith(prefix + "/") || prefix === "") {
        const inner = { ...environ };
        inner.SCRIPT_NAME = environ.SCRIPT_NAME + prefix;
        inner.PATH_INFO = path.slice(prefix.length);
        return app(inner, start_response);
      }
    }
    start_response("404 Not Found", [["Content-Type", "text/plain; charset=utf-8"]]);
    return [`Not Found: no application is mounted at ${path}\n`];
  };
}
