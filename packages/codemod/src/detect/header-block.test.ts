import { describe, expect, it } from "vitest";
import { DYNAMIC, headerBlockVerdict, opensHeaderBlock } from "./header-block.js";

describe("headerBlockVerdict", () => {
  it("accepts LF and CRLF header blocks ended by a blank line", () => {
    expect(headerBlockVerdict("Content-Type: text/plain\n\nbody")).toEqual({
      kind: "block",
      headers: ["Content-Type"],
    });
    expect(headerBlockVerdict("Status: 404 Not Found\r\nX-A: 1\r\n\r\n").kind).toBe("block");
    expect(headerBlockVerdict("HTTP/1.1 200 OK\nContent-Type: text/plain\n\n").kind).toBe("block");
  });

  it("waits for the blank line when the text ends inside the block", () => {
    expect(headerBlockVerdict("Content-Type: text/html\n").kind).toBe("incomplete");
    expect(headerBlockVerdict("Location: /next").kind).toBe("incomplete");
  });

  it("accepts run-time values and run-time lines after a literal header", () => {
    expect(headerBlockVerdict(`Status: ${DYNAMIC}\n${DYNAMIC}\n\n`).kind).toBe("block");
    expect(headerBlockVerdict(`Content-Type: ${DYNAMIC}\n\n`).kind).toBe("block");
  });

  it("rejects log lines that merely look like headers", () => {
    expect(headerBlockVerdict("Summary: 3\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Status: running\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Status: running\nLocation: /x\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Content-Type: text/plain\nErrors: 0\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Content-Type: unknown\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Content-Type: text/plain\nhello world\n\n").kind).toBe("none");
    expect(headerBlockVerdict("\nContent-Type: text/plain\n\n").kind).toBe("none");
  });

  it("follows a header block written in pieces", () => {
    expect(headerBlockVerdict("Content-Ty").kind).toBe("incomplete");
    expect(headerBlockVerdict("Content-Type: text/pl").kind).toBe("incomplete");
    expect(headerBlockVerdict("Status: 2").kind).toBe("incomplete");
    expect(headerBlockVerdict("Status: 2xx\n\n").kind).toBe("none");
    expect(headerBlockVerdict("Content-Type: text/plain\r\nX-Pieces: \u0000\n\nbody").kind).toBe(
      "block",
    );
    expect(opensHeaderBlock("Content-Ty")).toBe(true);
    expect(opensHeaderBlock("Con\n")).toBe(false);
  });

  it("opens a candidate only on a header-shaped first line", () => {
    expect(opensHeaderBlock("Set-Cookie: a=1\n")).toBe(true);
    expect(opensHeaderBlock("X-Powered-By: cgi\n")).toBe(true);
    expect(opensHeaderBlock("hello: world and more\n")).toBe(false);
    expect(opensHeaderBlock("<html>\n")).toBe(false);
  });
});
