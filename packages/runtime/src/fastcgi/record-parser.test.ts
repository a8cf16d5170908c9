import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordType } from "./constants.js";
import { FastCgiProtocolError } from "./errors.js";
import { encodeRecord } from "./record-encoder.js";
import { RecordParser } from "./record-parser.js";

interface Seen {
  type: number;
  id: number;
  content: string;
}

function parseAll(chunks: Buffer[]): Seen[] {
  const seen: Seen[] = [];
  const parser = new RecordParser((type, id, content) =>
    seen.push({ type, id, content: content.toString("hex") }),
  );
  for (const chunk of chunks) parser.execute(chunk);
  expect(parser.atBoundary).toBe(true);
  return seen;
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

const record = fc.record({
  type: fc.integer({ min: 1, max: 255 }),
  id: fc.integer({ min: 0, max: 0xffff }),
  content: fc.uint8Array({ maxLength: 300 }),
  align: fc.boolean(),
});

describe("RecordParser", () => {
  it("parses records back whatever the split and padding (fuzzed)", () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (records, cuts) => {
          const wire = Buffer.concat(
            records.map((r) => encodeRecord(r.type, r.id, r.content, r.align)),
          );
          const expected = records.map((r) => ({
            type: r.type,
            id: r.id,
            content: Buffer.from(r.content).toString("hex"),
          }));
          expect(parseAll(split(wire, cuts))).toEqual(expected);
        },
      ),
    );
  });

  it("parses a stream fed one byte at a time", () => {
    const wire = Buffer.concat([
      encodeRecord(RecordType.Params, 1, Buffer.from("abc"), true),
      encodeRecord(RecordType.Stdin, 1),
    ]);
    const chunks = [...wire].map((b) => Buffer.from([b]));
    expect(parseAll(chunks)).toEqual([
      { type: RecordType.Params, id: 1, content: "616263" },
      { type: RecordType.Stdin, id: 1, content: "" },
    ]);
  });

  it("passes a record that lies whole in one chunk as a view, without a copy", () => {
    const wire = encodeRecord(RecordType.Stdout, 3, Buffer.from("hello"));
    let seen: Buffer | undefined;
    new RecordParser((_t, _i, content) => (seen = content)).execute(wire);
    expect(seen!.buffer).toBe(wire.buffer);
  });

  it("rejects a wrong version and reports the offending bytes", () => {
    const parser = new RecordParser(() => {});
    const bad = Buffer.from("GET / HTTP/1.1\r\n");
    expect(() => parser.execute(bad)).toThrow(FastCgiProtocolError);
    try {
      new RecordParser(() => {}).execute(bad);
    } catch (error) {
      expect((error as FastCgiProtocolError).code).toBe("ERR_FCGI_VERSION");
      expect((error as FastCgiProtocolError).bytes.toString()).toBe("GET / HTTP/1.1\r\n");
    }
  });

  it("never throws anything but FastCgiProtocolError on random bytes (fuzzed)", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 10 }), (chunks) => {
        const parser = new RecordParser(() => {});
        try {
          for (const c of chunks) parser.execute(Buffer.from(c));
        } catch (error) {
          expect(error).toBeInstanceOf(FastCgiProtocolError);
        }
      }),
    );
  });
});
