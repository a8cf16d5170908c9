import { describe, expect, it } from "vitest";
import { createErrorStream } from "../core/errors-stream.js";
import { inputFromBuffer } from "../core/input.js";
import type { WsgiInput } from "../types.js";
import type { ContractRule } from "./rules.js";
import { ValidatedErrors, ValidatedInput } from "./stream-wrappers.js";

function input(text: string) {
  const rules: ContractRule[] = [];
  return {
    rules,
    input: new ValidatedInput(inputFromBuffer(Buffer.from(text)), (r) => rules.push(r)),
  };
}

function errors() {
  const rules: ContractRule[] = [];
  let written = "";
  const stream = new ValidatedErrors(
    createErrorStream((text) => void (written += text)),
    (r) => rules.push(r),
  );
  return { rules, stream, written: () => written };
}

describe("ValidatedInput", () => {
  it("reads exactly what the server's input holds", async () => {
    const { rules, input: body } = input("one\ntwo\nthree\nfour\n");
    expect(body.length).toBe(19);
    expect(body.read(2).toString()).toBe("on");
    expect(body.readline().toString()).toBe("e\n");
    expect(body.readline(2).toString()).toBe("tw");
    expect(body.readlines(1).map(String)).toEqual(["o\n"]);
    expect([...body].map(String)).toEqual(["three\n", "four\n"]);
    expect(body.read().length).toBe(0);
    const again = input("a\nb\n").input;
    const lines: string[] = [];
    for await (const line of again) lines.push(line.toString());
    expect(lines).toEqual(["a\n", "b\n"]);
    expect(rules).toEqual([]);
  });

  it.each<[string, (body: WsgiInput) => unknown]>([
    ["read('10')", (body) => body.read("10" as unknown as number)],
    ["read(1.5)", (body) => body.read(1.5)],
    ["read(NaN)", (body) => body.read(NaN)],
    ["read(null)", (body) => body.read(null as unknown as number)],
    ["readline('\\n')", (body) => body.readline("\n" as unknown as number)],
    ["readlines({})", (body) => body.readlines({} as unknown as number)],
  ])("input-argument: %s", (_what, call) => {
    const { rules, input: body } = input("abc\n");
    call(body);
    expect(rules).toEqual(["input-argument"]);
  });

  it("accepts negative sizes, which mean 'all', as the core does", () => {
    const { rules, input: body } = input("abc\n");
    expect(body.read(-1).toString()).toBe("abc\n");
    expect(rules).toEqual([]);
  });
});

describe("ValidatedErrors", () => {
  it("passes strings and bytes through to the server's stream", () => {
    const { rules, stream, written } = errors();
    stream.write("one\n");
    stream.write(Buffer.from("two\n"));
    stream.writelines(["three\n", new TextEncoder().encode("four\n")]);
    stream.writelines(new Set(["five\n"]));
    stream.flush();
    expect(written()).toBe("one\ntwo\nthree\nfour\nfive\n");
    expect(rules).toEqual([]);
  });

  it.each<[string, (stream: ValidatedErrors) => void]>([
    ["write(42)", (s) => s.write(42 as unknown as string)],
    ["write({})", (s) => s.write({} as unknown as string)],
    ["writelines('text')", (s) => s.writelines("text")],
    ["writelines(null)", (s) => s.writelines(null as unknown as string[])],
    ["writelines([1])", (s) => s.writelines([1] as unknown as string[])],
  ])("errors-argument: %s", (_what, call) => {
    const { rules, stream } = errors();
    try {
      call(stream);
    } catch {
      // The server's stream may refuse the bad argument too; the report came first.
    }
    expect(rules).toEqual(["errors-argument"]);
  });
});
