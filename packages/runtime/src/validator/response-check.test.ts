import { describe, expect, it } from "vitest";
import type { ContractRule } from "./rules.js";
import { checkChunk, checkHeaders, checkStatus } from "./response-check.js";

function collect<T>(check: (report: (rule: ContractRule) => void) => T): [T, ContractRule[]] {
  const rules: ContractRule[] = [];
  const result = check((rule) => rules.push(rule));
  return [result, rules];
}

describe("checkStatus", () => {
  it.each([
    "200 OK",
    "404 Not Found",
    "418 I'm a teapot",
    "599 Custom\tReason",
    "302 Moved Temporarily",
    "100 Continue",
  ])("accepts %j", (status) => {
    expect(collect((report) => checkStatus(status, report))[1]).toEqual([]);
  });

  it.each([
    "200",
    "200 ",
    "200  ",
    "2000 OK",
    "600 Beyond",
    "099 Low",
    " 200 OK",
    "200\tOK",
    "200 OK\n",
    "200 ✓",
    200,
  ])("refuses %j", (status) => {
    expect(collect((report) => checkStatus(status, report))[1]).toEqual(["status-format"]);
  });
});

describe("checkHeaders", () => {
  it("accepts repeated headers and returns the declared Content-Length", () => {
    const headers = [
      ["Content-Type", "text/html; charset=utf-8"],
      ["Set-Cookie", "a=1"],
      ["Set-Cookie", "b=2"],
      ["content-length", "42"],
      ["Content-Length", "42"],
      ["X-Empty", ""],
    ];
    expect(collect((report) => checkHeaders(headers, report))).toEqual([42, []]);
  });

  it("reports each broken header, not only the first", () => {
    const headers = [
      ["Bad Name", "v"],
      ["Upgrade", "websocket"],
      ["X", "a\nb"],
    ];
    expect(collect((report) => checkHeaders(headers, report))[1]).toEqual([
      "header-name",
      "header-hop-by-hop",
      "header-value",
    ]);
  });
});

describe("checkChunk", () => {
  it("measures strings as UTF-8 and bytes as they are", () => {
    expect(collect((report) => checkChunk("héllo", report))).toEqual([6, []]);
    expect(collect((report) => checkChunk(Buffer.alloc(4), report))).toEqual([4, []]);
    expect(collect((report) => checkChunk(new Uint16Array(2), report))).toEqual([
      undefined,
      ["chunk-type"],
    ]);
    expect(collect((report) => checkChunk({ length: 3 }, report))).toEqual([
      undefined,
      ["chunk-type"],
    ]);
  });
});
