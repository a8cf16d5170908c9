import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { FLAG_KEEP_CONN, RecordType, Role } from "../../src/fastcgi/constants.js";
import { encodeParams } from "../../src/fastcgi/name-value.js";
import { encodeRecord } from "../../src/fastcgi/record-encoder.js";
import { RecordParser } from "../../src/fastcgi/record-parser.js";
import { listenPort } from "../support/net-wait.js";

/** A record as received, with its content copied. */
export interface Received {
  type: number;
  id: number;
  content: Buffer;
}

/** What one request got back. */
export interface FcgiResult {
  stdout: Buffer;
  stderr: string;
  appStatus: number;
  protocolStatus: number;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A raw FastCGI client for tests: it speaks the wire format byte by byte so tests can do
 * what front servers never do (multiplexing, aborts, odd splits).
 */
export class FcgiClient {
  readonly records: Received[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    const parser = new RecordParser((type, id, content) => {
      this.records.push({ type, id, content: Buffer.from(content) });
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on("data", (chunk: Buffer) => parser.execute(chunk));
    socket.on("error", () => {});
    this.closed = once(socket, "close").then(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static async connect(address: string): Promise<FcgiClient> {
    const socket = address.startsWith("unix:")
      ? connect(address.slice(5))
      : connect(listenPort(address), "127.0.0.1");
    await once(socket, "connect");
    return new FcgiClient(socket);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The bytes of a whole request: BEGIN_REQUEST, PARAMS, STDIN. */
  static requestBytes(
    id: number,
    params: Record<string, string>,
    body: Buffer = Buffer.alloc(0),
    options: { keepConn?: boolean; role?: number; paramsRecordSize?: number } = {},
  ): Buffer {
    const begin = Buffer.from([
      0,
      options.role ?? Role.Responder,
      options.keepConn ? FLAG_KEEP_CONN : 0,
      0,
      0,
      0,
      0,
      0,
    ]);
    const parts = [encodeRecord(RecordType.BeginRequest, id, begin)];
    const encoded = encodeParams(Object.entries(params));
    const step = options.paramsRecordSize ?? 0xffff;
    for (let at = 0; at < encoded.length; at += step) {
      parts.push(encodeRecord(RecordType.Params, id, encoded.subarray(at, at + step), true));
    }
    parts.push(encodeRecord(RecordType.Params, id));
    for (let at = 0; at < body.length; at += 0xffff) {
      parts.push(encodeRecord(RecordType.Stdin, id, body.subarray(at, at + 0xffff)));
    }
    parts.push(encodeRecord(RecordType.Stdin, id));
    return Buffer.concat(parts);
  }

  /** Waits until `test` holds for the records received so far (or the socket closes). */
  async until(test: (records: Received[]) => boolean): Promise<void> {
    while (!test(this.records)) {
      if (this.socket.destroyed) return;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for END_REQUEST of `id` and returns what that request got. */
  async result(id: number): Promise<FcgiResult> {
    await this.until((rs) => rs.some((r) => r.id === id && r.type === RecordType.EndRequest));
    return resultOf(this.records, id);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends one request on a fresh connection and returns its result. */
export async function fcgiRequest(
  address: string,
  params: Record<string, string>,
  body?: Buffer,
): Promise<FcgiResult> {
  const client = await FcgiClient.connect(address);
  try {
    client.write(FcgiClient.requestBytes(1, { REQUEST_METHOD: "GET", ...params }, body));
    return await client.result(1);
  } finally {
    client.close();
  }
}

export function resultOf(records: Received[], id: number): FcgiResult {
  const mine = records.filter((r) => r.id === id);
  const stdout = Buffer.concat(
    mine.filter((r) => r.type === RecordType.Stdout).map((r) => r.content),
  );
  const stderr = Buffer.concat(
    mine.filter((r) => r.type === RecordType.Stderr).map((r) => r.content),
  ).toString();
  const end = mine.find((r) => r.type === RecordType.EndRequest);
  const split = stdout.indexOf("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of split < 0 ? [] : stdout.subarray(0, split).toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    stdout,
    stderr,
    appStatus: end ? end.content.readUInt32BE(0) : -1,
    protocolStatus: end ? end.content[4]! : -1,
    // CGI: a header block without Status means 200.
    status: split < 0 ? 0 : Number((headers.status ?? "200").slice(0, 3)),
    headers,
    body: split < 0 ? Buffer.alloc(0) : stdout.subarray(split + 4),
  };
}
