import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastCgiProtocolError } from "./errors.js";
import { decodeParams, encodeParams } from "./name-value.js";

const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
});

describe("name-value pairs", () => {
  it("round-trips any pairs, short and long (fuzzed)", () => {
    fc.assert(
      fc.property(
        fc.dictionary(latin1, fc.oneof(latin1, fc.constant("x".repeat(200)))),
        (pairs) => {
          expect(decodeParams(encodeParams(Object.entries(pairs)))).toEqual({ ...pairs });
        },
      ),
    );
  });

  it("uses 1-byte lengths below 128 and 4-byte lengths from 128", () => {
    const short = encodeParams([["A", "x".repeat(127)]]);
    expect([...short.subarray(0, 2)]).toEqual([1, 127]);
    const long = encodeParams([["A", "x".repeat(128)]]);
    expect([...long.subarray(0, 5)]).toEqual([1, 0x80, 0, 0, 128]);
    expect(decodeParams(long).A).toHaveLength(128);
  });

  it("decodes a 100 KB value", () => {
    const value = "v".repeat(100 * 1024);
    expect(decodeParams(encodeParams([["HTTP_X_BIG", value]])).HTTP_X_BIG).toBe(value);
  });

  it("rejects every truncation of a valid stream", () => {
    const bytes = encodeParams([
      ["NAME", "value"],
      ["LONG", "y".repeat(300)],
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      if (cut === 11) continue; // the boundary between the two pairs is a valid stream
      expect(() => decodeParams(bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(
        FastCgiProtocolError,
      );
    }
  });
});
