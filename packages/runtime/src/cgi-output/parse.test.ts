import { describe, expect, it } from "vitest";
import { CgiOutputError } from "./errors.js";
import { parseCgiResponse } from "./parse.js";

const parse = (text: string, nph = false) => parseCgiResponse(Buffer.from(text, "latin1"), { nph });
const problemOf = (text: string, nph = false): string => {
  try {
    parse(text, nph);
  } catch (error) {
    expect(error).toBeInstanceOf(CgiOutputError);
    const cgiError = error as CgiOutputError;
    expect(cgiError.code).toBe("ERR_CGI_OUTPUT");
    expect(cgiError.status).toBe(502);
    return cgiError.problem;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
};

// Each case was checked against nginx 1.22 + fcgiwrap 1.1 (and Apache 2.4 mod_cgid where noted).
describe("parseCgiResponse", () => {
  it("reads a plain header block and body", () => {
    expect(parse("Content-Type: text/plain\n\nhello")).toEqual({
      status: "200 OK",
      headers: [["Content-Type", "text/plain"]],
      body: Buffer.from("hello"),
    });
  });

  it("accepts CRLF, LF and a mix of both", () => {
    for (const text of [
      "Content-Type: text/plain\r\n\r\nbody",
      "Content-Type: text/plain\r\n\nbody",
      "Content-Type: text/plain\n\r\nbody",
    ]) {
      expect(parse(text).headers).toEqual([["Content-Type", "text/plain"]]);
      expect(parse(text).body.toString()).toBe("body");
    }
  });

  it("takes the status from Status:, removing that header, in any case", () => {
    expect(parse("Status: 404 Not Found\nContent-Type: text/plain\n\nx")).toMatchObject({
      status: "404 Not Found",
      headers: [["Content-Type", "text/plain"]],
    });
    expect(parse("status: 403 Nope\ncontent-type: text/plain\n\n").status).toBe("403 Nope");
    expect(parse("Status: 201 Made It Now\n\n").status).toBe("201 Made It Now");
  });

  it("fills in the reason phrase when Status: gives only a code", () => {
    expect(parse("Status: 200\nContent-Type: text/plain\n\n").status).toBe("200 OK");
    expect(parse("Status: 600\n\n").status).toBe("600 Unknown");
  });

  it("answers 302 for a Location: alone, and lets Status: win over it", () => {
    expect(parse("Location: /x\n\n")).toMatchObject({
      status: "302 Found",
      headers: [["Location", "/x"]],
    });
    expect(parse("Status: 301 Moved\nLocation: /y\n\n").status).toBe("301 Moved");
  });

  it("keeps repeated headers in order", () => {
    const text = "Set-Cookie: a=1\nContent-Type: text/plain\nSet-Cookie: b=2\n\n";
    expect(parse(text).headers).toEqual([
      ["Set-Cookie", "a=1"],
      ["Content-Type", "text/plain"],
      ["Set-Cookie", "b=2"],
    ]);
  });

  it("accepts headers without Content-Type, as nginx and Apache both do", () => {
    expect(parse("X-Foo: bar\n\nbody")).toMatchObject({
      status: "200 OK",
      headers: [["X-Foo", "bar"]],
    });
  });

  it("trims the value and allows no space after the colon or an empty value", () => {
    expect(parse("Content-Type:text/plain  \nX-Empty:\n\n").headers).toEqual([
      ["Content-Type", "text/plain"],
      ["X-Empty", ""],
    ]);
  });

  it("keeps header bytes as latin1 so they go back on the wire unchanged", () => {
    const [, value] = parseCgiResponse(Buffer.from("X-U: café\n\n", "utf8")).headers[0]!;
    expect(Buffer.from(value, "latin1").toString("utf8")).toBe("café");
  });

  it("returns binary bodies byte for byte", () => {
    const body = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0x0a, 255]);
    const output = Buffer.concat([Buffer.from("Content-Type: image/png\r\n\r\n"), body]);
    expect(parseCgiResponse(output).body).toEqual(body);
  });

  it("reads an nph- status line", () => {
    expect(
      parse("HTTP/1.1 206 Partial Content\r\nContent-Type: text/plain\r\n\r\nnph", true),
    ).toEqual({
      status: "206 Partial Content",
      headers: [["Content-Type", "text/plain"]],
      body: Buffer.from("nph"),
    });
    expect(parse("HTTP/1.0 200\r\n\r\n", true).status).toBe("200 OK");
    expect(problemOf("Content-Type: text/plain\n\n", true)).toBe("invalid-status");
  });

  it("refuses output a front server answers with 502", () => {
    expect(problemOf("")).toBe("no-output");
    expect(problemOf("\nbody")).toBe("no-headers");
    expect(problemOf("hello world\n")).toBe("malformed-header");
    expect(problemOf("Content-Type: text/plain\nX-A: b")).toBe("unterminated-headers");
    expect(problemOf("Content-Type: text/plain\n")).toBe("unterminated-headers");
    expect(problemOf("Content-Type: text/plain\r\rbody")).toBe("unterminated-headers");
    expect(problemOf("Content-Type: text/plain\nX-Fold: a\n b\n\n")).toBe("malformed-header");
    expect(problemOf("Content-Type: text/plain\nX Bad: 1\n\n")).toBe("malformed-header");
    expect(problemOf("Content-Type: text/plain\nJunk\n\n")).toBe("malformed-header");
    expect(problemOf("X-N: a\0b\n\n")).toBe("malformed-header");
    expect(problemOf("Status: abc\n\n")).toBe("invalid-status");
    expect(problemOf("Status: 99 Low\n\n")).toBe("invalid-status");
    expect(problemOf(`X-Big: ${"a".repeat(10_000)}\n\n`)).toBe("headers-too-large");
  });

  it("says what to do next and carries the offending bytes", () => {
    try {
      parse("Content-Type: text/plain\nhello world\n\n");
    } catch (error) {
      expect((error as Error).message).toMatch(/line 2 "hello world".*print the header block/);
      expect((error as CgiOutputError).bytes.toString()).toBe("hello world");
    }
    expect.assertions(2);
  });
});
