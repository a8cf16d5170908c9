/** One line of a directory index: a URL path below the mount and how it is served. */
export interface IndexEntry {
  /** Below the mount, starting with `/`, e.g. `/cgi-bin/form.cjs`. */
  path: string;
  /** In-process application, CGI script run per request, or a module that failed to load. */
  kind: "application" | "cgi" | "failed";
}

/**
 * The index entries of a mounted directory: its applications, and the modules that failed.
 *
 * @example
 * const entries = mountedEntries(await mountDirectory("./migrated", { onError }));
 */
export function mountedEntries(mounted: {
  mounts: ReadonlyArray<{ path: string }>;
  failed: readonly string[];
}): IndexEntry[] {
  return [
    ...mounted.mounts.map(({ path }) => ({ path, kind: "application" as const })),
    ...mounted.failed.map((path) => ({ path, kind: "failed" as const })),
  ];
}

/** A rendered index: what the middleware hands to `start_response` and returns. */
export interface IndexPage {
  status: string;
  headers: Array<[string, string]>;
  body: string;
}

const LABELS: Record<IndexEntry["kind"], string> = {
  application: "application",
  cgi: "CGI script",
  failed: "failed to load (see the server log)",
};

/**
 * Whether an Accept header prefers `text/plain` to `text/html`, by q-values and the most
 * specific matching range (RFC 9110 section 12.5.1). No header, or `*\/*`, means HTML.
 *
 * @example
 * prefersPlainText("text/plain"); // true
 * prefersPlainText("text/html,*\/*;q=0.8"); // false
 */
export function prefersPlainText(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = accept.split(",").map((part) => {
    const [type = "", ...params] = part.split(";").map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith("q="));
    return { type, q: q ? Number(q.slice(2)) || 0 : 1 };
  });
  const quality = (type: string): number => {
    const group = type.split("/")[0] + "/*";
    const match =
      ranges.find((range) => range.type === type) ??
      ranges.find((range) => range.type === group) ??
      ranges.find((range) => range.type === "*/*");
    return match?.q ?? 0;
  };
  return quality("text/plain") > quality("text/html");
}

/**
 * The index of a mount: HTML with a link per entry, or plain text (one `kind path` line per
 * entry) when `plain`. `base` is the mount's SCRIPT_NAME, so links work behind a prefix.
 *
 * @example
 * const page = renderIndex([{ path: "/form.cjs", kind: "application" }], { base: "/app", plain: false });
 * start_response(page.status, page.headers);
 */
export function renderIndex(
  entries: readonly IndexEntry[],
  options: { base: string; plain: boolean },
): IndexPage {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const href = (path: string) => (options.base + path).split("/").map(encodeURIComponent).join("/");
  const title = `Index of ${options.base}/`;
  const body = options.plain
    ? sorted.map((entry) => `${entry.kind.padEnd(12)}${href(entry.path)}\n`).join("")
    : [
        `<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>`,
        `<h1>${escapeHtml(title)}</h1>`,
        sorted.length === 0
          ? "<p>Nothing is served here.</p>"
          : `<ul>\n${sorted
              .map(
                (entry) =>
                  `<li><a href="${escapeHtml(href(entry.path))}">${escapeHtml(entry.path)}</a> ${LABELS[entry.kind]}</li>`,
              )
              .join("\n")}\n</ul>`,
        "",
      ].join("\n");
  const type = options.plain ? "text/plain; charset=utf-8" : "text/html; charset=utf-8";
  return {
    status: "200 OK",
    headers: [
      ["Content-Type", type],
      ["Content-Length", String(Buffer.byteLength(body))],
      ["Vary", "Accept"],
      ["Cache-Control", "no-cache"],
    ],
    body,
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]!,
  );
}
