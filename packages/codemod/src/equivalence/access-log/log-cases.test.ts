import { gzipSync } from "node:zlib";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { casesFromLog } from "./log-cases.js";
import { parseAccessLog, readAccessLog } from "./read-log.js";
import type { LoggedRequest } from "./parse-line.js";

const get = (path: string, query = ""): LoggedRequest => ({ method: "GET", path, query });
const scripts = [
  { id: "a", url: "/cgi-bin/a.cjs" },
  { id: "ab", url: "/cgi-bin/a.cjs/b" },
  { id: "c", url: "/c.cjs" },
];

describe("casesFromLog", () => {
  it("maps paths to scripts (longest URL first, the rest is PATH_INFO) and de-duplicates", () => {
    const { scripts: found, otherPaths } = casesFromLog(
      [
        get("/cgi-bin/a.cjs", "x=1"),
        get("/cgi-bin/a.cjs", "x=1"),
        get("/cgi-bin/a.cjs/more", "x=1"),
        { method: "HEAD", path: "/cgi-bin/a.cjs", query: "x=1" },
        get("/cgi-bin/a.cjs/b/c"),
        get("/cgi-bin/a.cjsx"),
        get("/favicon.ico"),
      ],
      scripts,
    );
    expect(found.get("a")!.cases).toEqual([
      { name: "GET /cgi-bin/a.cjs?x=1", method: "GET", path: "", query: "x=1" },
      { name: "GET /cgi-bin/a.cjs/more?x=1", method: "GET", path: "/more", query: "x=1" },
      { name: "HEAD /cgi-bin/a.cjs?x=1", method: "HEAD", path: "", query: "x=1" },
    ]);
    expect(found.get("a")!.distinct).toBe(3);
    expect(found.get("ab")!.cases).toEqual([
      { name: "GET /cgi-bin/a.cjs/b/c", method: "GET", path: "/c", query: "" },
    ]);
    expect(found.get("c")).toEqual({ distinct: 0, cases: [], sampledOut: 0, notReplayable: [] });
    expect(otherPaths).toBe(2);
  });

  it("replays a POST with each --cases body of the same method and PATH_INFO, else lists it", () => {
    const post: LoggedRequest = { method: "POST", path: "/c.cjs", query: "step=2" };
    const put: LoggedRequest = { method: "PUT", path: "/c.cjs", query: "" };
    const bodies = [
      { name: "form", method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" },
      { name: "elsewhere", method: "POST", path: "/other", body: "x" },
    ];
    const found = casesFromLog([post, put], scripts, { bodies }).scripts.get("c")!;
    expect(found.cases).toEqual([
      {
        name: 'POST /c.cjs?step=2 with the body of "form"',
        method: "POST",
        path: "",
        query: "step=2",
        headers: { "Content-Type": "text/plain" },
        body: "hi",
      },
    ]);
    expect(found.notReplayable).toEqual(["PUT /c.cjs"]);
  });

  it("samples to maxCases by a hash of the request: the same cases whatever the log's order", () => {
    const many = Array.from({ length: 50 }, (_, i) => get("/c.cjs", `n=${i}`));
    const once = casesFromLog(many, scripts, { maxCases: 10 }).scripts.get("c")!;
    const reversed = casesFromLog([...many].reverse(), scripts, { maxCases: 10 }).scripts.get("c")!;
    expect(once.cases).toHaveLength(10);
    expect(once.sampledOut).toBe(40);
    const names = (r: typeof once) => r.cases.map((c) => c.name).sort();
    expect(names(reversed)).toEqual(names(once));
    // Spread over the log, not its first ten lines.
    expect(once.cases.some((c) => Number(c.query!.slice(2)) >= 10)).toBe(true);
  });
});

describe("reading a log", () => {
  it("counts unparsable lines with their reasons, skipping blank ones", () => {
    const log = parseAccessLog(
      "access.log",
      'h - - [t] "GET /a HTTP/1.1" 200 1\n\ngarbage\nh - - [t] "GET /b HTTP/1.1" 200 1\n',
    );
    expect(log.lines).toBe(4);
    expect(log.requests.map((r) => r.path)).toEqual(["/a", "/b"]);
    expect(log.unparsable).toEqual([
      { line: 3, reason: expect.stringContaining("not an access log line"), text: "garbage" },
    ]);
  });

  it("gunzips a rotated log by its magic bytes, and names a file it cannot read", () => {
    const dir = mkdtempSync(join(tmpdir(), "access-log-"));
    try {
      const text = '{"request":"GET /a?x=1 HTTP/1.1","status":200}\n';
      writeFileSync(join(dir, "access.log.2"), gzipSync(text));
      expect(readAccessLog(join(dir, "access.log.2")).requests).toEqual([
        { method: "GET", path: "/a", query: "x=1", status: 200 },
      ]);
      writeFileSync(join(dir, "cut.gz"), gzipSync(text).subarray(0, 12));
      expect(() => readAccessLog(join(dir, "cut.gz"))).toThrow(/does not decompress/);
      expect(() => readAccessLog(join(dir, "missing.log"))).toThrow(/cannot read the access log/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
