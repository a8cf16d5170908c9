import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Headers } from "../types.js";
import { CgiOutputError, CgiParserStateError } from "./errors.js";
import { CgiHeaderParser, type CgiResponse } from "./header-parser.js";
import { parseCgiResponse } from "./parse.js";

/** Feeds `output` cut at `cuts`, gathering the body, and reports the result or the problem. */
function feed(output: Buffer, cuts: number[], nph = false): CgiResponse | string {
  const parser = new CgiHeaderParser({ nph });
  const points = [...new Set(cuts.map((cut) => cut % (output.length + 1)))].sort((a, b) => a - b);
  let head: CgiResponse | undefined;
  const body: Buffer[] = [];
  try {
    let from = 0;
    for (const to of [...points, output.length]) {
      const chunk = output.subarray(from, to);
      from = to;
      if (head) body.push(chunk);
      else head = parser.execute(chunk);
      if (head && body.length === 0) body.push(head.body);
    }
    parser.finish();
  } catch (error) {
    if (error instanceof CgiOutputError) return error.problem;
    throw error;
  }
  return { ...head!, body: Buffer.concat(body) };
}

function oneShot(output: Buffer, nph = false): CgiResponse | string {
  try {
    return parseCgiResponse(output, { nph });
  } catch (error) {
    if (error instanceof CgiOutputError) return error.problem;
    throw error;
  }
}

const token = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,15}$/)
  .filter((n) => !/^(status|location)$/i.test(n));
const value = fc.stringMatching(/^[!-~]([ -~]{0,30}[!-~])?$/);
const header = fc.tuple(token, value);
const eol = fc.constantFrom("\n", "\r\n");
const cuts = fc.array(fc.nat(), { maxLength: 12 });
// Pieces that make line ends, separators and status lines turn up in generated output.
const TRICKY = ["\n", "\r\n", "\r", ":", " ", "Location: /\n", "HTTP/1.1 200 OK\n"];

describe("CgiHeaderParser", () => {
  it("gives the head once the blank line arrives, with the rest of that chunk as body", () => {
    const parser = new CgiHeaderParser();
    expect(parser.execute(Buffer.from("Content-Type: text/pl"))).toBeUndefined();
    expect(parser.execute(Buffer.from("ain\r"))).toBeUndefined();
    expect(parser.execute(Buffer.from("\n\r"))).toBeUndefined();
    expect(parser.complete).toBe(false);
    expect(parser.execute(Buffer.from("\nfirst"))).toEqual({
      status: "200 OK",
      headers: [["Content-Type", "text/plain"]],
      body: Buffer.from("first"),
    });
    expect(parser.complete).toBe(true);
    expect(() => parser.execute(Buffer.from("more"))).toThrow(CgiParserStateError);
    expect(() => parser.finish()).not.toThrow();
  });

  it("stops buffering once the header block passes its bound", () => {
    const parser = new CgiHeaderParser({ maxHeaderBytes: 64 });
    expect(parser.execute(Buffer.from("X-A: 1\n"))).toBeUndefined();
    expect(() => parser.execute(Buffer.alloc(100, 0x61))).toThrow(/passed 64 bytes/);
  });

  it("reports output that ended too early only at finish()", () => {
    const parser = new CgiHeaderParser();
    expect(parser.execute(Buffer.from("Content-Type: text/plain\n"))).toBeUndefined();
    expect(() => parser.finish()).toThrow(/blank line/);
    expect(() => new CgiHeaderParser().finish()).toThrow(/printed nothing/);
  });

  // A hundred runs of fast-check take about a second, several on a machine loaded by others.
  it("parses well-formed output the same in any split, matching the model", () => {
    const script = fc.record({
      headers: fc.array(header, { minLength: 1, maxLength: 8 }),
      eols: fc.array(eol, { minLength: 10, maxLength: 10 }),
      status: fc.option(fc.integer({ min: 100, max: 999 })),
      location: fc.option(fc.webPath()),
      body: fc.uint8Array({ maxLength: 64 }),
    });
    fc.assert(
      fc.property(script, cuts, ({ headers, eols, status, location, body }, cutList) => {
        const lines: Headers = [...headers];
        if (location !== null) lines.splice(1, 0, ["Location", location || "/"]);
        if (status !== null) lines.splice(lines.length - 1, 0, ["Status", `${status} Because`]);
        const head = lines.map(([n, v], i) => `${n}: ${v}${eols[i % eols.length]}`).join("");
        const output = Buffer.concat([Buffer.from(head + eols[9]), body]);
        const expected = {
          status:
            status !== null ? `${status} Because` : location !== null ? "302 Found" : "200 OK",
          headers: lines.filter(([n]) => n !== "Status"),
          body: Buffer.from(body),
        };
        expect(oneShot(output)).toEqual(expected);
        expect(feed(output, cutList)).toEqual(expected);
      }),
    );
  }, 30_000);

  it("reaches the same result or the same refusal for any bytes in any split", () => {
    const piece = fc.oneof(
      fc.constantFrom(...TRICKY, "Status: 200\n"),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        cuts,
        fc.boolean(),
        (pieces, cutList, nph) => {
          const output = Buffer.from(pieces.join(""), "latin1");
          expect(feed(output, cutList, nph)).toEqual(oneShot(output, nph));
        },
      ),
    );
  });

  it("reads printed text as it reads the same text's UTF-8 bytes", () => {
    const piece = fc.oneof(
      fc.constantFrom(...TRICKY, "Status: 404 Gone\n", "é"),
      fc.string({ maxLength: 12 }),
      fc.tuple(token, value).map(([n, v]) => `${n}: ${v}\n`),
    );
    const outcome = (
      read: () => { status: string; headers: Headers; body: string } | undefined,
    ) => {
      try {
        return read();
      } catch (error) {
        if (error instanceof CgiOutputError) return error.problem;
        throw error;
      }
    };
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom(8192, 24),
        (pieces, nph, maxHeaderBytes) => {
          const text = pieces.join("");
          const fromBytes = outcome(() => {
            const head = new CgiHeaderParser({ nph, maxHeaderBytes }).execute(Buffer.from(text));
            return head && { ...head, body: head.body.toString() };
          });
          const fromText = outcome(() =>
            new CgiHeaderParser({ nph, maxHeaderBytes }).executeText(text),
          );
          expect(fromText).toEqual(fromBytes);
        },
      ),
    );
  });
});
