import { describe, expect, it } from "vitest";
import { prefersPlainText, renderIndex } from "./index-page.js";

describe("prefersPlainText", () => {
  it("takes plain text only when the client ranks it above HTML", () => {
    expect(prefersPlainText(undefined)).toBe(false);
    expect(prefersPlainText("*/*")).toBe(false);
    expect(prefersPlainText("text/html,application/xhtml+xml,*/*;q=0.8")).toBe(false);
    expect(prefersPlainText("text/plain")).toBe(true);
    expect(prefersPlainText("text/plain, text/html;q=0.5")).toBe(true);
    expect(prefersPlainText("text/*;q=0.3, text/plain;q=0.9")).toBe(true);
    expect(prefersPlainText("TEXT/PLAIN;Q=1, text/html;q=1")).toBe(false);
  });
});

describe("renderIndex", () => {
  const entries = [
    { path: "/z/legacy.cgi", kind: "cgi" as const },
    { path: "/a b/<x>.mjs", kind: "application" as const },
    { path: "/broken.mjs", kind: "failed" as const },
  ];

  it("links every entry below the mount, escaped and percent-encoded, sorted by path", () => {
    const page = renderIndex(entries, { base: "/app", plain: false });
    expect(page.body).toContain("<title>Index of /app/</title>");
    const links = [...page.body.matchAll(/<a href="([^"]+)">([^<]+)<\/a> ([^<]+)</g)].map((m) =>
      m.slice(1),
    );
    expect(links).toEqual([
      ["/app/a%20b/%3Cx%3E.mjs", "/a b/&lt;x&gt;.mjs", "application"],
      ["/app/broken.mjs", "/broken.mjs", "failed to load (see the server log)"],
      ["/app/z/legacy.cgi", "/z/legacy.cgi", "CGI script"],
    ]);
    expect(page.headers).toContainEqual(["Content-Type", "text/html; charset=utf-8"]);
    expect(page.headers).toContainEqual(["Content-Length", String(Buffer.byteLength(page.body))]);
    expect(page.headers).toContainEqual(["Vary", "Accept"]);
  });

  it("gives one `kind path` line per entry as plain text", () => {
    const page = renderIndex(entries, { base: "", plain: true });
    expect(page.body).toBe(
      "application /a%20b/%3Cx%3E.mjs\nfailed      /broken.mjs\ncgi         /z/legacy.cgi\n",
    );
    expect(page.headers).toContainEqual(["Content-Type", "text/plain; charset=utf-8"]);
  });

  it("says so when nothing is served", () => {
    expect(renderIndex([], { base: "", plain: false }).body).toContain("Nothing is served here.");
  });
});
