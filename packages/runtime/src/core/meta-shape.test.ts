import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { metaFromPairs } from "./meta-shape.js";

/** What metaFromPairs must give: the pairs in order, later ones winning, hygiene drops applied. */
function reference(pairs: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (["HTTP_PROXY", "HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "__proto__"].includes(name))
      continue;
    if (name.startsWith("wsgi.")) continue;
    if ((name === "CONTENT_TYPE" || name === "CONTENT_LENGTH") && value === "") continue;
    meta[name] = value;
  }
  return meta;
}

function make(pairs: ReadonlyArray<readonly [string, string]>): Record<string, unknown> {
  return metaFromPairs(
    pairs.map((p) => p[0]),
    pairs.map((p) => p[1]),
    pairs.length,
  );
}

const name = fc.oneof(
  fc.constantFrom(
    "REQUEST_METHOD",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "HTTP_PROXY",
    "HTTP_CONTENT_TYPE",
    "HTTP_HOST",
    "wsgi.input",
    "__proto__",
    "constructor",
    'a"b\\c',
    "x\ny\u2028",
  ),
  fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)) }),
);
const pair = fc.tuple(name, fc.oneof(fc.constant(""), fc.string()));

describe("metaFromPairs", () => {
  it("gives the pairs as an object, minus what hygiene drops, for any names", () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 40 }), (pairs) => {
        const meta = make(pairs);
        expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
        expect(meta).toEqual(reference(pairs));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same object for a repeated list of names, with this request's values", () => {
    const names = ["REQUEST_METHOD", "PATH_INFO", "CONTENT_LENGTH"];
    const first = metaFromPairs(names, ["GET", "/a", ""], 3);
    const second = metaFromPairs(names, ["POST", "/b", "3"], 3);
    expect(first).toEqual({ REQUEST_METHOD: "GET", PATH_INFO: "/a" });
    expect(second).toEqual({ REQUEST_METHOD: "POST", PATH_INFO: "/b", CONTENT_LENGTH: "3" });
  });

  it("stays right once more name lists have been seen than it keeps", () => {
    for (let i = 0; i < 40; i++) {
      const names = [`HTTP_X_${i}`, "REQUEST_METHOD"];
      expect(metaFromPairs(names, [String(i), "GET"], 2)).toEqual({
        [`HTTP_X_${i}`]: String(i),
        REQUEST_METHOD: "GET",
      });
    }
  });

  it("drops a __proto__ name, which must not reach an object literal", () => {
    const meta = metaFromPairs(["__proto__", "A"], ["x", "1"], 2);
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.keys(meta).filter((key) => meta[key] !== undefined)).toEqual(["A"]);
  });
});
