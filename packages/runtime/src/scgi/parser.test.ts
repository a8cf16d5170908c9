import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeScgiRequest } from "./encode.js";
import { ScgiHeadersTooLargeError, ScgiProtocolError, ScgiTruncatedError } from "./errors.js";
import { ScgiParser, type ScgiParserOptions } from "./parser.js";

interface Parsed {
  headers?: Array<[string, string]>;
  contentLength?: number;
  body: Buffer;
  complete: boolean;
}

function parse(chunks: Uint8Array[], options?: ScgiParserOptions): Parsed {
  const result: Parsed = { body: Buffer.alloc(0), complete: false };
  const bodies: Buffer[] = [];
  const parser = new ScgiParser(
    {
      onHead: (headers, contentLength) => Object.assign(result, { headers, contentLength }),
      onBody: (chunk) => bodies.push(Buffer.from(chunk)),
      onComplete: () => (result.complete = true),
    },
    options,
  );
  for (const chunk of chunks) parser.execute(chunk);
  parser.finish();
  result.body = Buffer.concat(bodies);
  return result;
}

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const point of [...points, bytes.length]) {
    out.push(bytes.subarray(last, point));
    last = point;
  }
  return out;
}

function codeOf(bytes: Buffer | string, options?: ScgiParserOptions): string | undefined {
  try {
    parse([Buffer.from(bytes)], options);
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

// The example request of the SCGI specification.
const SPEC_EXAMPLE = Buffer.from(
  "70:CONTENT_LENGTH\x0027\x00SCGI\x001\x00REQUEST_METHOD\x00POST\x00" +
    "REQUEST_URI\x00/deepthought\x00,What is the answer to life?",
);

describe("ScgiParser", () => {
  it("parses the specification's example request", () => {
    const parsed = parse([SPEC_EXAMPLE]);
    expect(parsed.headers).toEqual([
      ["CONTENT_LENGTH", "27"],
      ["SCGI", "1"],
      ["REQUEST_METHOD", "POST"],
      ["REQUEST_URI", "/deepthought"],
    ]);
    expect(parsed.contentLength).toBe(27);
    expect(parsed.body.toString()).toBe("What is the answer to life?");
    expect(parsed.complete).toBe(true);
  });

  it("gives the same result for any split of the bytes", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        expect(parse(splitAt(SPEC_EXAMPLE, cuts))).toEqual(parse([SPEC_EXAMPLE]));
      }),
    );
  });

  it("round-trips any headers and body through the encoder", () => {
    const name = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,15}$/);
    const value = fc.string({ maxLength: 40 }).map((s) => s.replace(/\0/g, ""));
    fc.assert(
      fc.property(
        fc.dictionary(name, value, { maxKeys: 8 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (meta, body, cuts) => {
          const bytes = encodeScgiRequest(meta, body);
          const parsed = parse(splitAt(bytes, cuts));
          expect(parsed.body).toEqual(Buffer.from(body));
          const headers = Object.fromEntries(parsed.headers!);
          for (const [key, v] of Object.entries(meta)) {
            if (key !== "CONTENT_LENGTH" && key !== "SCGI") {
              expect(headers[key]).toBe(Buffer.from(v, "latin1").toString("latin1"));
            }
          }
        },
      ),
    );
  });

  it("ignores bytes after CONTENT_LENGTH bytes of body", () => {
    const bytes = Buffer.concat([encodeScgiRequest({}, "abc"), Buffer.from("trailing junk")]);
    expect(parse([bytes]).body.toString()).toBe("abc");
  });

  it("completes at the head when CONTENT_LENGTH is 0", () => {
    const parsed = parse([encodeScgiRequest({ REQUEST_METHOD: "GET" })]);
    expect(parsed.complete).toBe(true);
    expect(parsed.body.length).toBe(0);
  });

  it.each([
    ["a non-digit length", "7x:", "ERR_SCGI_BAD_NETSTRING"],
    ["an empty length", ":abc,", "ERR_SCGI_BAD_NETSTRING"],
    ["a leading zero", "024:CONTENT_LENGTH\x000\x00SCGI\x001\x00,", "ERR_SCGI_BAD_NETSTRING"],
    ["a missing comma", "24:CONTENT_LENGTH\x000\x00SCGI\x001\x00;", "ERR_SCGI_BAD_NETSTRING"],
    ["no trailing NUL", "23:CONTENT_LENGTH\x000\x00SCGI\x001,", "ERR_SCGI_BAD_HEADERS"],
    ["an empty block", "0:,", "ERR_SCGI_BAD_HEADERS"],
    [
      "a name without value",
      "26:CONTENT_LENGTH\x000\x00SCGI\x001\x00X\x00,",
      "ERR_SCGI_BAD_HEADERS",
    ],
    [
      "CONTENT_LENGTH not first",
      "24:SCGI\x001\x00CONTENT_LENGTH\x000\x00,",
      "ERR_SCGI_BAD_HEADERS",
    ],
    [
      "CONTENT_LENGTH not digits",
      "25:CONTENT_LENGTH\x00-1\x00SCGI\x001\x00,",
      "ERR_SCGI_BAD_HEADERS",
    ],
    ["no SCGI header", "17:CONTENT_LENGTH\x000\x00,", "ERR_SCGI_BAD_HEADERS"],
    ["SCGI not 1", "24:CONTENT_LENGTH\x000\x00SCGI\x002\x00,", "ERR_SCGI_BAD_HEADERS"],
    [
      "an empty header name",
      "27:CONTENT_LENGTH\x000\x00SCGI\x001\x00\x00x\x00,",
      "ERR_SCGI_BAD_HEADERS",
    ],
    ["an HTTP request", "GET / HTTP/1.1\r\n\r\n", "ERR_SCGI_BAD_NETSTRING"],
  ])("rejects %s", (_, bytes, code) => {
    expect(codeOf(bytes)).toBe(code);
  });

  it("keeps the first value of a repeated header, as nginx may send CONTENT_LENGTH twice", () => {
    const bytes = "40:CONTENT_LENGTH\x002\x00SCGI\x001\x00CONTENT_LENGTH\x00\x00,ab";
    const parsed = parse([Buffer.from(bytes)]);
    expect(parsed.headers).toEqual([
      ["CONTENT_LENGTH", "2"],
      ["SCGI", "1"],
    ]);
    expect(parsed.body.toString()).toBe("ab");
  });

  it("reports the offending bytes and their offset", () => {
    const error = (() => {
      try {
        parse([Buffer.from("12x:")]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ScgiProtocolError);
    const protocolError = error as ScgiProtocolError;
    expect(protocolError.offset).toBe(2);
    expect(protocolError.bytes.toString()).toBe("x:");
    expect(protocolError.message).toContain('"x:"');
    expect(protocolError.message).toContain("scgi_pass");
  });

  it("refuses a header block over the bound from its length digits alone", () => {
    const parser = new ScgiParser(
      { onHead() {}, onBody() {}, onComplete() {} },
      { maxHeaderSize: 1000 },
    );
    expect(() => parser.execute(Buffer.from("1001"))).toThrow(ScgiHeadersTooLargeError);
    expect(codeOf(encodeScgiRequest({ X: "y".repeat(2000) }), { maxHeaderSize: 1000 })).toBe(
      "ERR_SCGI_HEADERS_TOO_LARGE",
    );
  });

  it("reports a request cut short in each part", () => {
    const whole = encodeScgiRequest({ A: "b" }, "body");
    for (const cut of [1, 3, 20, whole.length - 2]) {
      expect(() => parse([whole.subarray(0, cut)])).toThrow(ScgiTruncatedError);
    }
    expect(() => parse([])).not.toThrow();
  });

  it("only ever fails with its own errors on arbitrary bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (bytes, cuts) => {
          try {
            parse(splitAt(Buffer.from(bytes), cuts), { maxHeaderSize: 100 });
          } catch (error) {
            expect(String((error as { code?: string }).code)).toMatch(/^ERR_SCGI_/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("either parses or rejects with a code when a valid request is mutated", () => {
    const valid = encodeScgiRequest({ REQUEST_METHOD: "POST", PATH_INFO: "/x" }, "hello");
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const mutated = Buffer.from(valid);
        mutated[at] = byte;
        try {
          const parsed = parse([mutated]);
          expect(parsed.complete).toBe(true);
        } catch (error) {
          expect(String((error as { code?: string }).code)).toMatch(/^ERR_SCGI_/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
