import { NULL_STRING } from "./constants.js";
import { AjpProtocolError } from "./errors.js";

/**
 * Reads AJP13's field types (byte, boolean, 16-bit integer, length-prefixed NUL-terminated
 * string) from one packet payload, failing with the offending bytes when it runs short.
 *
 * @example
 * const reader: PayloadReader = new PayloadReader(payload);
 * const code = reader.byte();
 * const protocol = reader.string();
 */
export class PayloadReader {
  private position = 0;
  constructor(private readonly payload: Buffer) {}

  /** Bytes not read yet. */
  get remaining(): number {
    return this.payload.length - this.position;
  }

  /** Where the next field starts in the payload. */
  get offset(): number {
    return this.position;
  }

  byte(): number {
    this.need(1, "a byte");
    return this.payload[this.position++]!;
  }

  bool(): boolean {
    return this.byte() !== 0;
  }

  int(): number {
    this.need(2, "a 16-bit integer");
    const value = this.payload.readUInt16BE(this.position);
    this.position += 2;
    return value;
  }

  /** The next integer, without consuming it. */
  peekInt(): number {
    this.need(2, "a 16-bit integer");
    return this.payload.readUInt16BE(this.position);
  }

  /** A string decoded as latin1 (PEP 3333's native strings), or `undefined` for a null string. */
  string(): string | undefined {
    const start = this.position;
    const length = this.int();
    if (length === NULL_STRING) return undefined;
    this.need(length + 1, `a ${length}-byte string and its NUL`, start);
    const end = this.position + length;
    if (this.payload[end] !== 0) this.fail("ERR_AJP_BAD_STRING", "a string lacks its NUL", start);
    const text = this.payload.toString("latin1", this.position, end);
    this.position = end + 1;
    return text;
  }

  /** `length` raw bytes. */
  bytes(length: number): Buffer {
    this.need(length, `${length} bytes`);
    const out = this.payload.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** Fails at `at` (default: the current position) with the bytes found there. */
  fail(code: string, problem: string, at = this.position): never {
    throw new AjpProtocolError(code, problem, Buffer.from(this.payload.subarray(at, at + 32)), at);
  }

  private need(n: number, what: string, at = this.position): void {
    if (this.position + n > this.payload.length) {
      this.fail("ERR_AJP_TRUNCATED_PACKET", `the packet ends where ${what} was expected`, at);
    }
  }
}

/**
 * Builds one AJP13 packet to the web server: "AB", the payload length, then fields.
 *
 * @example
 * const packet = new PacketWriter(0x4142).byte(5).bool(true).finish(); // END_RESPONSE
 */
export class PacketWriter {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly magic: number) {}

  byte(value: number): this {
    return this.push(Buffer.of(value & 0xff));
  }

  bool(value: boolean): this {
    return this.byte(value ? 1 : 0);
  }

  int(value: number): this {
    const out = Buffer.allocUnsafe(2);
    out.writeUInt16BE(value & 0xffff);
    return this.push(out);
  }

  /** A latin1 string with its length and NUL; `undefined` writes a null string. */
  string(value: string | undefined): this {
    if (value === undefined) return this.int(NULL_STRING);
    const bytes = Buffer.from(value, "latin1");
    return this.int(bytes.length).push(bytes).byte(0);
  }

  bytes(value: Uint8Array): this {
    return this.push(Buffer.from(value.buffer, value.byteOffset, value.length));
  }

  /** Payload bytes so far. */
  get length(): number {
    return this.size;
  }

  finish(): Buffer {
    const header = Buffer.allocUnsafe(4);
    header.writeUInt16BE(this.magic, 0);
    header.writeUInt16BE(this.size, 2);
    return Buffer.concat([header, ...this.chunks], 4 + this.size);
  }

  private push(bytes: Buffer): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }
}
