import { describe, expect, it } from "vitest";
import { compareResponses } from "./compare.js";
import { deliver } from "./deliver.js";
import type { CaseResponse } from "./types.js";

const response = (over: Partial<CaseResponse> = {}): CaseResponse => ({
  status: "200 OK",
  headers: [["Content-Type", "text/plain"]],
  body: Buffer.from("hello\n"),
  origin: "script",
  errors: "",
  ...over,
});

describe("compareResponses", () => {
  it("finds nothing between equal answers", () => {
    expect(compareResponses(response(), response())).toEqual([]);
  });

  it("ignores header name case, header order across names, and server-owned headers", () => {
    const legacy = response({
      headers: [
        ["X-A", "1"],
        ["Content-Type", "text/plain"],
        ["Date", "Mon, 01 Jan 2024 00:00:00 GMT"],
        ["Transfer-Encoding", "chunked"],
      ],
    });
    const migrated = response({
      headers: [
        ["content-type", "text/plain"],
        ["x-a", "1"],
        ["Content-Length", "6"],
        ["Server", "cgi2wsgi"],
        ["Connection", "close"],
      ],
    });
    expect(compareResponses(legacy, migrated)).toEqual([]);
  });

  it("reports a status, a missing header and repeated headers out of order", () => {
    const legacy = response({
      status: "302 Found",
      headers: [
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["Location", "/x"],
      ],
    });
    const migrated = response({
      headers: [
        ["Set-Cookie", "b=2"],
        ["Set-Cookie", "a=1"],
      ],
    });
    expect(compareResponses(legacy, migrated)).toEqual([
      { what: "status", legacy: "302 Found", migrated: "200 OK" },
      { what: "header", name: "set-cookie", legacy: "a=1 | b=2", migrated: "b=2 | a=1" },
      { what: "header", name: "location", legacy: "/x", migrated: "(absent)" },
    ]);
  });

  it("tells an empty header value from an absent one", () => {
    const legacy = response({ headers: [["X-Empty", ""]] });
    const migrated = response({ headers: [] });
    expect(compareResponses(legacy, migrated)).toHaveLength(1);
  });

  it("points at the first differing body byte", () => {
    const [difference] = compareResponses(
      response({ body: Buffer.from("hello world") }),
      response({ body: Buffer.from("hello there") }),
    );
    expect(difference).toEqual({
      what: "body",
      legacy: '11 bytes, from byte 6: "world"',
      migrated: '11 bytes, from byte 6: "there"',
      at: 6,
    });
  });

  it("compares only the status of two gateway error pages", () => {
    const crash = { origin: "gateway" as const, headers: [], body: Buffer.from("x") };
    const legacy = response({ ...crash, status: "500 Internal Server Error" });
    const migrated = response({
      ...crash,
      status: "500 Internal Server Error",
      body: Buffer.from("y"),
    });
    expect(compareResponses(legacy, migrated)).toEqual([]);
    expect(compareResponses(legacy, { ...migrated, status: "502 Bad Gateway" })).toHaveLength(1);
    expect(compareResponses(legacy, response()).map((d) => d.what)).toEqual([
      "status",
      "header",
      "body",
    ]);
  });
});

describe("deliver", () => {
  it("drops the body of a HEAD answer and cuts a body at its Content-Length", () => {
    expect(deliver("HEAD", response()).body).toEqual(Buffer.alloc(0));
    const long = response({ headers: [["Content-Length", "2"]], body: Buffer.from("bodybody") });
    expect(deliver("GET", long).body.toString()).toBe("bo");
    expect(deliver("GET", response()).body.toString()).toBe("hello\n");
  });
});

describe("defaultCases", () => {
  it("walks GET with and without a query, a form POST, a JSON POST and HEAD", async () => {
    const { defaultCases } = await import("./default-cases.js");
    const cases = defaultCases();
    expect(cases.map((c) => c.method)).toEqual(["GET", "GET", "POST", "POST", "HEAD"]);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    const json = cases.find((c) => c.headers?.["Content-Type"] === "application/json");
    expect(JSON.parse(json!.body as string)).toMatchObject({ name: "Ada" });
  });
});
