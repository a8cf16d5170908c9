import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBodyPacket, maxBodyChunk } from "./body.js";
import { AjpPacketTooLargeError, AjpProtocolError } from "./errors.js";
import { decodeForwardRequest, type AjpForwardRequest } from "./forward-request.js";
import { AjpFramer } from "./framing.js";
import {
  decodeContainerPacket,
  encodeBodyPacket,
  encodeForwardRequest,
  encodeServerCode,
} from "./peer.js";
import { CPONG, encodeBodyChunks, encodeEndResponse, encodeSendHeaders } from "./response.js";

const base: AjpForwardRequest = {
  method: "POST",
  protocol: "HTTP/1.1",
  uri: "/app/form",
  remoteAddr: "192.0.2.7",
  remoteHost: undefined,
  serverName: "example.org",
  serverPort: 8080,
  isSsl: false,
  headers: [
    ["Host", "example.org:8080"],
    ["Content-Type", "application/x-www-form-urlencoded"],
    ["Content-Length", "7"],
    ["X-Custom", "yes"],
  ],
  attributes: {
    queryString: "a=1&b=2",
    remoteUser: "alice",
    requestAttributes: [["AJP_REMOTE_PORT", "50123"]],
  },
};

function frame(bytes: Buffer, cuts: number[] = [], packetSize?: number): Buffer[] {
  const payloads: Buffer[] = [];
  const framer = new AjpFramer((p) => payloads.push(Buffer.from(p)), { packetSize });
  let last = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    framer.execute(bytes.subarray(last, cut));
    last = cut;
  }
  framer.execute(bytes.subarray(last));
  return payloads;
}

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe("AJP13 FORWARD_REQUEST", () => {
  it("round-trips coded methods, coded and named headers and attributes", () => {
    const [payload] = frame(encodeForwardRequest(base));
    expect(decodeForwardRequest(payload!)).toEqual(base);
  });

  it("sends well-known header names as 0xA0nn codes", () => {
    const bytes = encodeForwardRequest({ ...base, headers: [["Host", "h"]] });
    expect(bytes.includes(Buffer.from([0xa0, 0x0b]))).toBe(true);
    expect(bytes.includes(Buffer.from("Host"))).toBe(false);
  });

  it("carries a method outside the table as stored_method", () => {
    const request = { ...base, method: "PATCH" };
    const bytes = encodeForwardRequest(request);
    expect(bytes[5]).toBe(0xff);
    expect(decodeForwardRequest(frame(bytes)[0]!).method).toBe("PATCH");
  });

  it("decodes every attribute kind", () => {
    const request: AjpForwardRequest = {
      ...base,
      isSsl: true,
      attributes: {
        context: "/c",
        servletPath: "/s",
        remoteUser: "u",
        authType: "Basic",
        queryString: "q=1",
        route: "node1",
        sslCert: "CERT",
        sslCipher: "TLS_AES_128_GCM_SHA256",
        sslSession: "abc",
        secret: "s3cret",
        sslKeySize: 128,
        requestAttributes: [
          ["AJP_REMOTE_PORT", "1"],
          ["AJP_LOCAL_ADDR", "127.0.0.1"],
        ],
      },
    };
    expect(decodeForwardRequest(frame(encodeForwardRequest(request))[0]!)).toEqual(request);
  });

  it("round-trips any request through any split of the stream", () => {
    const text = fc
      .string({ maxLength: 30 })
      .map((s) => Buffer.from(s, "latin1").toString("latin1"));
    const header = fc.tuple(fc.constantFrom("Accept", "Cookie", "Referer", "X-A", "x-lower"), text);
    fc.assert(
      fc.property(
        fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "MKACTIVITY"),
        text,
        fc.array(header, { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (method, query, headers, cuts) => {
          const request: AjpForwardRequest = {
            ...base,
            method,
            headers,
            attributes: { queryString: query, requestAttributes: [] },
          };
          const payloads = frame(encodeForwardRequest(request), cuts);
          expect(payloads).toHaveLength(1);
          const decoded = decodeForwardRequest(payloads[0]!);
          expect(decoded.method).toBe(method);
          expect(decoded.attributes.queryString).toBe(query);
          expect(decoded.headers.map(([, v]) => v)).toEqual(headers.map(([, v]) => v));
        },
      ),
    );
  });

  it.each([
    ["a wrong prefix code", (p: Buffer) => (p[0] = 3), "ERR_AJP_UNEXPECTED_PACKET"],
    ["method code 0", (p: Buffer) => (p[1] = 0), "ERR_AJP_BAD_METHOD"],
    ["method code 28", (p: Buffer) => (p[1] = 28), "ERR_AJP_BAD_METHOD"],
    ["a string without its NUL", (p: Buffer) => (p[4 + 8] = 0x41), "ERR_AJP_BAD_STRING"],
  ])("rejects %s", (_, mutate, code) => {
    const payload = frame(encodeForwardRequest(base))[0]!;
    mutate(payload);
    expect(errorCode(() => decodeForwardRequest(payload))).toBe(code);
  });

  it("rejects method 0xFF without stored_method, unknown attributes and header codes", () => {
    const payload = frame(encodeForwardRequest(base))[0]!;
    const noStored = Buffer.from(payload);
    noStored[1] = 0xff;
    expect(errorCode(() => decodeForwardRequest(noStored))).toBe("ERR_AJP_BAD_METHOD");
    const badAttribute = Buffer.concat([payload.subarray(0, -1), Buffer.of(0x42, 0xff)]);
    expect(errorCode(() => decodeForwardRequest(badAttribute))).toBe("ERR_AJP_BAD_ATTRIBUTE");
    const coded = frame(encodeForwardRequest({ ...base, headers: [["Host", "h"]] }))[0]!;
    coded[coded.indexOf(Buffer.from([0xa0, 0x0b])) + 1] = 0x0f;
    expect(errorCode(() => decodeForwardRequest(coded))).toBe("ERR_AJP_BAD_HEADER");
  });

  it("reports the truncation of every prefix with the offending offset", () => {
    const payload = frame(encodeForwardRequest(base))[0]!;
    for (let cut = 0; cut < payload.length; cut++) {
      const code = errorCode(() => decodeForwardRequest(payload.subarray(0, cut)));
      expect(code).toMatch(/^ERR_AJP_/);
    }
    try {
      decodeForwardRequest(payload.subarray(0, 10));
    } catch (error) {
      expect(error).toBeInstanceOf(AjpProtocolError);
      expect((error as AjpProtocolError).offset).toBeLessThanOrEqual(10);
    }
  });

  it("only ever fails with its own errors on arbitrary payloads", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const payload = Buffer.concat([Buffer.of(2), Buffer.from(bytes)]);
        const code = errorCode(() => decodeForwardRequest(payload));
        if (code !== undefined) expect(code).toMatch(/^ERR_AJP_/);
      }),
      { numRuns: 1000 },
    );
  });

  it("only ever fails with its own errors when a valid packet is mutated", () => {
    const valid = frame(encodeForwardRequest(base))[0]!;
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const payload = Buffer.from(valid);
        payload[at] = byte;
        const code = errorCode(() => decodeForwardRequest(payload));
        if (code !== undefined) expect(code).toMatch(/^ERR_AJP_/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("AJP13 framing", () => {
  it("refuses a wrong magic with the offending bytes", () => {
    const framer = new AjpFramer(() => {});
    let error: unknown;
    try {
      framer.execute(Buffer.from("GET / HTTP/1.1\r\n"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AjpProtocolError);
    expect((error as AjpProtocolError).code).toBe("ERR_AJP_BAD_MAGIC");
    expect((error as AjpProtocolError).message).toContain('"GET "');
  });

  it("refuses a packet over the packet size before buffering it", () => {
    const big = encodeBodyPacket(Buffer.alloc(9000));
    expect(errorCode(() => frame(big.subarray(0, 4)))).toBe("ERR_AJP_PACKET_TOO_LARGE");
    expect(frame(big, [], 16384)).toHaveLength(1);
    expect(() => new AjpFramer(() => {}, { packetSize: 100 })).toThrow(RangeError);
  });

  it("splits back-to-back packets in any split and only fails with its own errors", () => {
    const stream = Buffer.concat([
      encodeForwardRequest(base),
      encodeBodyPacket(Buffer.from("a=1&b=2")),
      encodeServerCode(10),
    ]);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        expect(frame(stream, cuts)).toHaveLength(3);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const code = errorCode(() => frame(Buffer.from(bytes)));
        if (code !== undefined) expect(code).toMatch(/^ERR_AJP_/);
      }),
      { numRuns: 500 },
    );
  });
});

describe("AJP13 body and response packets", () => {
  it("decodes body packets and the empty end marker", () => {
    const [data, empty] = frame(
      Buffer.concat([encodeBodyPacket(Buffer.from("hello")), encodeBodyPacket(Buffer.alloc(0))]),
    );
    expect(decodeBodyPacket(data!).toString()).toBe("hello");
    expect(decodeBodyPacket(empty!).length).toBe(0);
    expect(decodeBodyPacket(Buffer.alloc(0)).length).toBe(0);
    expect(errorCode(() => decodeBodyPacket(Buffer.of(0, 9, 1)))).toBe("ERR_AJP_TRUNCATED_PACKET");
    expect(maxBodyChunk()).toBe(8186);
  });

  it("encodes SEND_HEADERS with coded names that decode back", () => {
    const headers: Array<[string, string]> = [
      ["Content-Type", "text/plain"],
      ["set-cookie", "a=1"],
      ["Set-Cookie", "b=2"],
      ["X-Other", "x"],
    ];
    const [payload] = frameContainer(encodeSendHeaders("418 I'm a teapot", headers));
    expect(decodeContainerPacket(payload!)).toEqual({
      type: "headers",
      status: 418,
      reason: "I'm a teapot",
      headers: [
        ["Content-Type", "text/plain"],
        ["Set-Cookie", "a=1"],
        ["Set-Cookie", "b=2"],
        ["X-Other", "x"],
      ],
    });
    expect(() => encodeSendHeaders("200 OK", [["X-Big", "x".repeat(9000)]])).toThrow(
      AjpPacketTooLargeError,
    );
  });

  it("splits body chunks within the packet size, with the trailing NUL mod_proxy_ajp expects", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40000 }),
        fc.constantFrom(1024, 8192, 65536),
        (size, packetSize) => {
          const data = Buffer.alloc(size, 0x61);
          const packets = frameContainer(encodeBodyChunks(data, packetSize));
          let total = 0;
          for (const payload of packets) {
            expect(payload.length + 4).toBeLessThanOrEqual(packetSize);
            expect(payload[payload.length - 1]).toBe(0);
            const packet = decodeContainerPacket(payload);
            if (packet.type !== "body") throw new Error("expected a body chunk");
            expect(payload.length).toBe(packet.data.length + 4);
            total += packet.data.length;
          }
          expect(total).toBe(size);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("encodes END_RESPONSE and CPONG", () => {
    expect(decodeContainerPacket(frameContainer(encodeEndResponse(true))[0]!)).toEqual({
      type: "end",
      reuse: true,
    });
    expect(decodeContainerPacket(frameContainer(CPONG)[0]!)).toEqual({ type: "cpong" });
  });
});

/** Splits "AB" packets, as the web server does. */
function frameContainer(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    expect(bytes.readUInt16BE(at)).toBe(0x4142);
    const length = bytes.readUInt16BE(at + 2);
    out.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return out;
}
