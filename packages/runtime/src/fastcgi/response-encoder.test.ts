import { describe, expect, it } from "vitest";
import { ProtocolStatus, RecordType } from "./constants.js";
import { RecordParser } from "./record-parser.js";
import { cgiHeadText } from "../core/headers.js";
import { encodeResponse } from "./response-encoder.js";

function records(wire: Buffer): Array<[number, number, Buffer]> {
  const out: Array<[number, number, Buffer]> = [];
  new RecordParser((type, id, content) => out.push([type, id, Buffer.from(content)])).execute(wire);
  return out;
}

describe("encodeResponse", () => {
  it("puts head, body, end of stream and END_REQUEST in one buffer", () => {
    const wire = encodeResponse(
      7,
      cgiHeadText("200 OK", [["Content-Type", "text/plain"]]),
      [Buffer.from("hi")],
      {
        appStatus: 0,
        protocolStatus: ProtocolStatus.RequestComplete,
      },
    );
    const seen = records(wire);
    expect(seen.map(([t, id]) => [t, id])).toEqual([
      [RecordType.Stdout, 7],
      [RecordType.Stdout, 7],
      [RecordType.Stdout, 7],
      [RecordType.EndRequest, 7],
    ]);
    expect(seen[0]![2].toString()).toBe("Content-Type: text/plain\r\n\r\n");
    expect(seen[1]![2].toString()).toBe("hi");
    expect(seen[2]![2].length).toBe(0);
    expect([...seen[3]![2]]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("splits a body and a head larger than one record", () => {
    const big = Buffer.alloc(150_000, 0x61);
    const head = cgiHeadText("200 OK", [["X-Big", "b".repeat(70_000)]]);
    const seen = records(encodeResponse(1, head, [big]));
    const stdout = Buffer.concat(seen.map(([, , c]) => c));
    expect(stdout.length).toBe(head.length + big.length);
    expect(stdout.subarray(0, head.length).toString("latin1")).toBe(head);
    expect(seen.every(([, , c]) => c.length <= 0xffff && c.length > 0)).toBe(true);
  });

  it("keeps the app status of END_REQUEST", () => {
    const seen = records(encodeResponse(2, undefined, [], { appStatus: 3, protocolStatus: 2 }));
    expect(seen.map(([t]) => t)).toEqual([RecordType.Stdout, RecordType.EndRequest]);
    expect(seen[1]![2].readUInt32BE(0)).toBe(3);
    expect(seen[1]![2][4]).toBe(2);
  });
});
