import { DEFAULT_PACKET_SIZE, HEADER_SIZE, MAX_PACKET_SIZE, SERVER_MAGIC } from "./constants.js";
import { AjpPacketTooLargeError, AjpProtocolError } from "./errors.js";

/**
 * Splits the byte stream from the web server into AJP13 packet payloads: magic 0x1234, a
 * 16-bit length, then that many bytes. Takes bytes in any split; a packet larger than the
 * configured packet size is refused before its payload is buffered.
 *
 * @example
 * const framer = new AjpFramer((payload) => handle(payload), { packetSize: 8192 });
 * socket.on("data", (chunk) => framer.execute(chunk));
 */
export class AjpFramer {
  private readonly header = Buffer.alloc(HEADER_SIZE);
  private headerFill = 0;
  private payload: Buffer | undefined;
  private payloadFill = 0;
  private offset = 0;
  private failed = false;
  private readonly limit: number;

  constructor(
    private readonly onPacket: (payload: Buffer) => void,
    options: { packetSize?: number } = {},
  ) {
    const size = options.packetSize ?? DEFAULT_PACKET_SIZE;
    if (!Number.isInteger(size) || size < 1024 || size > MAX_PACKET_SIZE) {
      throw new RangeError(`packetSize ${size} must be an integer from 1024 to ${MAX_PACKET_SIZE}`);
    }
    this.limit = size - HEADER_SIZE;
  }

  /** True between packets: no partial packet is buffered. */
  get idle(): boolean {
    return this.headerFill === 0 && this.payload === undefined;
  }

  /** Feeds the next bytes; calls `onPacket` for each whole packet, in order. */
  execute(chunk: Uint8Array): void {
    if (this.failed) throw new Error("AjpFramer: execute() after an error");
    try {
      this.run(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }

  private run(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.payload === undefined) {
        const n = Math.min(HEADER_SIZE - this.headerFill, bytes.length - at);
        bytes.copy(this.header, this.headerFill, at, at + n);
        this.headerFill += n;
        at += n;
        if (this.headerFill < HEADER_SIZE) return;
        this.startPacket();
      } else {
        const n = Math.min(this.payload.length - this.payloadFill, bytes.length - at);
        bytes.copy(this.payload, this.payloadFill, at, at + n);
        this.payloadFill += n;
        at += n;
      }
      if (this.payload !== undefined && this.payloadFill === this.payload.length) {
        const payload = this.payload;
        this.offset += HEADER_SIZE + payload.length;
        this.payload = undefined;
        this.headerFill = 0;
        this.onPacket(payload);
      }
    }
  }

  private startPacket(): void {
    if (this.header.readUInt16BE(0) !== SERVER_MAGIC) {
      throw new AjpProtocolError(
        "ERR_AJP_BAD_MAGIC",
        "a packet from the web server must start with 0x12 0x34",
        Buffer.from(this.header),
        this.offset,
      );
    }
    const length = this.header.readUInt16BE(2);
    if (length > this.limit)
      throw new AjpPacketTooLargeError(length + HEADER_SIZE, this.limit + HEADER_SIZE);
    this.payload = Buffer.allocUnsafe(length);
    this.payloadFill = 0;
  }
}
