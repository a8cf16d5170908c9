import type { WsgiErrors, WsgiInput } from "../types.js";
import { describe, type Report } from "./errors.js";

/**
 * `wsgi.input` as the validator hands it to the application: every call goes to the
 * server's input, with the application's arguments and the server's results checked.
 *
 * @example
 * environ["wsgi.input"] = new ValidatedInput(environ["wsgi.input"], report);
 */
export class ValidatedInput implements WsgiInput {
  constructor(
    private readonly inner: WsgiInput,
    private readonly report: Report,
  ) {}

  get length(): number {
    return this.inner.length;
  }

  read(size?: number): Buffer {
    this.checkSize("read", "size", size);
    return this.checkBuffer("read()", this.inner.read(size));
  }

  readline(size?: number): Buffer {
    this.checkSize("readline", "size", size);
    return this.checkBuffer("readline()", this.inner.readline(size));
  }

  readlines(hint?: number): Buffer[] {
    this.checkSize("readlines", "hint", hint);
    const lines: unknown = this.inner.readlines(hint);
    if (!Array.isArray(lines)) {
      this.report(
        "input-return-type",
        `wsgi.input.readlines() returned ${describe(lines)}; return an array of Buffers`,
      );
      return lines as Buffer[];
    }
    for (const line of lines) this.checkBuffer("readlines()", line);
    return lines;
  }

  *[Symbol.iterator](): Iterator<Buffer> {
    for (const line of this.inner) yield this.checkBuffer("iteration", line);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for await (const line of this.inner) yield this.checkBuffer("async iteration", line);
  }

  private checkSize(method: string, name: string, value: unknown): void {
    if (value === undefined || Number.isInteger(value)) return;
    this.report(
      "input-argument",
      `wsgi.input.${method}(${name}) got ${describe(value)}; pass an integer number of bytes, or nothing to read all`,
    );
  }

  private checkBuffer(where: string, value: unknown): Buffer {
    if (!Buffer.isBuffer(value)) {
      this.report(
        "input-return-type",
        `wsgi.input ${where} gave ${describe(value)}; hand out Buffers`,
      );
    }
    return value as Buffer;
  }
}

/**
 * `wsgi.errors` as the validator hands it to the application: arguments are checked, then
 * passed to the server's stream.
 *
 * @example
 * environ["wsgi.errors"] = new ValidatedErrors(environ["wsgi.errors"], report);
 */
export class ValidatedErrors implements WsgiErrors {
  constructor(
    private readonly inner: WsgiErrors,
    private readonly report: Report,
  ) {}

  write(text: string | Uint8Array): void {
    this.checkText("write", text);
    this.inner.write(text);
  }

  writelines(lines: Iterable<string | Uint8Array>): void {
    if (
      typeof (lines as Partial<Iterable<unknown>> | null)?.[Symbol.iterator] !== "function" ||
      typeof lines === "string"
    ) {
      this.report(
        "errors-argument",
        `wsgi.errors.writelines() got ${describe(lines)}; pass an array of strings`,
      );
      this.inner.writelines(lines);
      return;
    }
    const all = [...lines];
    for (const line of all) this.checkText("writelines", line);
    this.inner.writelines(all);
  }

  flush(): void {
    this.inner.flush();
  }

  private checkText(method: string, value: unknown): void {
    if (typeof value === "string" || value instanceof Uint8Array) return;
    this.report(
      "errors-argument",
      `wsgi.errors.${method}() got ${describe(value)}; pass a string or a Uint8Array`,
    );
  }
}
