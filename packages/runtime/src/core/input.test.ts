import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { BodyCollector, inputFromBuffer } from "./input.js";
import { RequestTooLargeError } from "./errors.js";

const text = "line one\nline two\nlast";

describe("wsgi.input", () => {
  for (const [kind, make] of [
    ["memory", () => inputFromBuffer(Buffer.from(text))],
    [
      "temporary file",
      () => {
        const c = new BodyCollector({ memoryThreshold: 4 });
        for (const ch of text) c.push(Buffer.from(ch));
        return c.finish();
      },
    ],
  ] as const) {
    describe(kind, () => {
      it("reads with and without a size, then gives empty at EOF", () => {
        const input = make();
        expect(input.length).toBe(text.length);
        expect(input.read(4).toString()).toBe("line");
        expect(input.read().toString()).toBe(" one\nline two\nlast");
        expect(input.read().length).toBe(0);
        expect(input.read(10).length).toBe(0);
      });
      it("reads lines, bounded lines and readlines with a hint", () => {
        const input = make();
        expect(input.readline(3).toString()).toBe("lin");
        expect(input.readline().toString()).toBe("e one\n");
        expect(input.readlines().map(String)).toEqual(["line two\n", "last"]);
        expect(make().readlines(1).map(String)).toEqual(["line one\n"]);
      });
      it("iterates lines synchronously and asynchronously", async () => {
        expect([...make()].map(String)).toEqual(["line one\n", "line two\n", "last"]);
        const lines: string[] = [];
        for await (const line of make()) lines.push(String(line));
        expect(lines).toEqual(["line one\n", "line two\n", "last"]);
      });
    });
  }
});

describe("BodyCollector", () => {
  it("refuses a body over the limit", () => {
    const c = new BodyCollector({ maxBody: 5 });
    c.push(Buffer.from("12345"));
    expect(() => c.push(Buffer.from("6"))).toThrow(RequestTooLargeError);
  });

  it("leaves no temporary file behind when it spills", () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith("cgi2wsgi-body-")).length;
    const c = new BodyCollector({ memoryThreshold: 1 });
    c.push(Buffer.from("spilled body"));
    const input = c.finish();
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith("cgi2wsgi-body-")).length).toBe(before);
    expect(input.read().toString()).toBe("spilled body");
    c.dispose();
  });
});
