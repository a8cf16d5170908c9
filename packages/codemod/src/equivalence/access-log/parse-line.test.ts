import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LogLineError, parseLogLine, unescapeLogText } from "./parse-line.js";

describe("parseLogLine", () => {
  it("reads nginx's combined format, query split off the path", () => {
    const line =
      '127.0.0.1 - - [03/Dec/2026:14:02:19 +0000] "GET /cgi-bin/a.cjs/x?name=Ada&b=1 HTTP/1.1" 200 12 "-" "curl/8.5"';
    expect(parseLogLine(line)).toEqual({
      method: "GET",
      path: "/cgi-bin/a.cjs/x",
      query: "name=Ada&b=1",
      status: 200,
    });
  });

  it("reads Apache's common format and vhost_combined, which starts with host:port", () => {
    expect(parseLogLine('::1 - bob [03/Dec/2026:14:02:19 +0000] "POST /f HTTP/1.0" 302 -')).toEqual(
      { method: "POST", path: "/f", query: "", status: 302 },
    );
    const vhost =
      'www.example.org:443 10.0.0.1 - - [03/Dec/2026:14:02:19 +0000] "HEAD /cgi-bin/x?y HTTP/1.1" 200 - "-" "UA"';
    expect(parseLogLine(vhost)).toMatchObject({ method: "HEAD", path: "/cgi-bin/x", query: "y" });
  });

  it("undoes nginx's \\xHH and Apache's \\\" escapes inside the request", () => {
    const nginx = '1.2.3.4 - - [x] "GET /a?q=\\x22hi\\x22 HTTP/1.1" 200 1 "-" "-"';
    expect(parseLogLine(nginx).query).toBe('q="hi"');
    const apache = '1.2.3.4 - - [x] "GET /a?q=\\"hi\\" HTTP/1.1" 200 1';
    expect(parseLogLine(apache).query).toBe('q="hi"');
    expect(unescapeLogText("caf\\xc3\\xa9 \\\\ \\t")).toBe("café \\ \t");
  });

  it("reads JSON lines: a whole request line, or method with uri and args, nested names too", () => {
    expect(
      parseLogLine('{"time":"x","request":"GET /a?b=1 HTTP/2.0","status":"404","bytes":0}'),
    ).toEqual({ method: "GET", path: "/a", query: "b=1", status: 404 });
    expect(parseLogLine('{"request_method":"GET","uri":"/a","args":"q=2","status":200}')).toEqual({
      method: "GET",
      path: "/a",
      query: "q=2",
      status: 200,
    });
    // $request_uri already holds the query: $args is not added twice.
    expect(parseLogLine('{"method":"get","request_uri":"/a?q=3","args":"q=3"}').query).toBe("q=3");
    expect(
      parseLogLine(
        '{"http":{"request":{"method":"DELETE"},"response":{"status_code":204}},"url":{"original":"/x?y=z"}}',
      ),
    ).toEqual({ method: "DELETE", path: "/x", query: "y=z", status: 204 });
  });

  it("takes an absolute-form target as its path", () => {
    expect(parseLogLine('h - - [t] "GET http://example.org/a?b HTTP/1.1" 200 1').path).toBe("/a");
  });

  it("names what is wrong with a line it cannot use", () => {
    expect(() => parseLogLine("hello")).toThrow(/not an access log line/);
    expect(() => parseLogLine('h - - [t] "\\x16\\x03\\x01\\x02" 400 150')).toThrow(
      /is not "METHOD \/path HTTP\/x.y"/,
    );
    expect(() => parseLogLine('h - - [t] "-" 408 0')).toThrow(LogLineError);
    expect(() => parseLogLine('{"status":200}')).toThrow(/fields found: status/);
    expect(() => parseLogLine('{"method":"","uri":"","status":400}')).toThrow(
      "the method or path is empty: the server could not read a request line (it answered 400)",
    );
    expect(() => parseLogLine("{nope")).toThrow(/not valid JSON/);
    expect(() => parseLogLine('h - - [t] "GET * HTTP/1.1" 200 1')).toThrow(/is not a path/);
  });

  const piece = fc.constantFrom(
    ...'[]"\\ x{}:,/?=&-',
    "[t] ",
    '"GET ',
    " HTTP/1.1",
    " 200",
    '{"request":',
    '"method":',
    '"uri":',
    "\\x",
    "\u00e9",
    "\ud83d\ude00",
  );
  const logLike = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

  it("never fails with anything but LogLineError, whatever the line", () => {
    fc.assert(
      // Arbitrary text, and text made of the pieces the parser looks for.
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), logLike), (line) => {
        try {
          parseLogLine(line);
        } catch (error) {
          expect(error).toBeInstanceOf(LogLineError);
        }
      }),
    );
  });

  it("round-trips any path and query written in the combined format", () => {
    const chars = fc.constantFrom(..."abz09/%=&+-._~!$'()*,;:@");
    fc.assert(
      fc.property(
        fc.string({ unit: chars, maxLength: 40 }),
        fc.string({ unit: chars, maxLength: 40 }),
        (path, query) => {
          const target = `/${path}${query ? `?${query}` : ""}`;
          const line = `10.0.0.1 - - [03/Dec/2026:14:02:19 +0000] "GET ${target} HTTP/1.1" 200 5 "-" "ua"`;
          expect(parseLogLine(line)).toEqual({
            method: "GET",
            path: `/${path}`,
            query,
            status: 200,
          });
        },
      ),
    );
  });
});
