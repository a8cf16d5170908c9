import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProtocolStatus, RecordType, Role } from "../../src/fastcgi/constants.js";
import { decodeParams, encodeParams } from "../../src/fastcgi/name-value.js";
import { fastcgi } from "../../src/fastcgi/protocol.js";
import { encodeRecord } from "../../src/fastcgi/record-encoder.js";
import { startServer, type RunningServer } from "../../src/server/start.js";
import type { Application, Environ } from "../../src/types.js";
import { FcgiClient, fcgiRequest } from "./client.js";

const closed: string[] = [];
const gates = new Map<string, () => void>();

/** Test routes keyed by PATH_INFO. */
const app: Application = async (environ: Environ, start_response) => {
  const path = environ.PATH_INFO;
  if (path === "/echo") {
    start_response("200 OK", [["Content-Type", "application/octet-stream"]]);
    return [environ["wsgi.input"].read()];
  }
  if (path === "/environ") {
    start_response("200 OK", [["Content-Type", "application/json"]]);
    const plain = Object.fromEntries(
      Object.entries(environ).filter(([, v]) => typeof v === "string"),
    );
    const data = environ["fcgi.data"] as { read(): Buffer } | undefined;
    return [JSON.stringify({ ...plain, data: data?.read().toString() })];
  }
  if (path === "/stderr") {
    environ["wsgi.errors"].write("something odd\n");
    start_response("200 OK", []);
    return ["ok"];
  }
  if (path === "/wait") {
    const key = environ.QUERY_STRING;
    await new Promise<void>((resolve) => gates.set(key, resolve));
    start_response("200 OK", []);
    return [`waited ${key}`];
  }
  if (path === "/stream") {
    const key = environ.QUERY_STRING;
    start_response("200 OK", [["Content-Type", "text/plain"]]);
    let sent = 0;
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          sent++;
          yield Buffer.alloc(16 * 1024, 0x78);
          if (sent % 8 === 0) await new Promise((r) => setImmediate(r));
        }
      },
      close() {
        closed.push(`${key}:${sent}`);
      },
    } as AsyncIterable<Uint8Array>;
  }
  start_response("200 OK", [
    ["Content-Type", "text/plain"],
    ["Set-Cookie", "a=1"],
    ["Set-Cookie", "b=2"],
  ]);
  return [`hello ${environ.REQUEST_METHOD} ${environ.QUERY_STRING}`];
};

let server: RunningServer;
const logs: string[] = [];

beforeAll(async () => {
  server = await startServer(app, {
    protocol: fastcgi(),
    listen: "127.0.0.1:0",
    maxBody: 1000,
    log: (text) => logs.push(text),
  });
});
afterAll(() => server.close(1000));

function waitFor(test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => (test() ? resolve() : void setTimeout(poll, 5));
    poll();
  });
}

describe("FastCGI responder", () => {
  it("answers a request with the CGI header block, body and END_REQUEST, then closes", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(FcgiClient.requestBytes(1, { REQUEST_METHOD: "GET", QUERY_STRING: "x=1" }));
    const result = await client.result(1);
    expect(result.stdout.toString()).toBe(
      "Content-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhello GET x=1",
    );
    expect([result.appStatus, result.protocolStatus]).toEqual([0, ProtocolStatus.RequestComplete]);
    await client.closed; // FCGI_KEEP_CONN was off
  });

  it("keeps the connection for the next request with FCGI_KEEP_CONN", async () => {
    const client = await FcgiClient.connect(server.address);
    for (const id of [1, 1, 2]) {
      client.records.length = 0;
      client.write(
        FcgiClient.requestBytes(id, { QUERY_STRING: `n=${id}` }, undefined, { keepConn: true }),
      );
      expect((await client.result(id)).body.toString()).toBe(`hello GET n=${id}`);
    }
    expect(client.socket.destroyed).toBe(false);
    client.close();
  });

  it("serves multiplexed requests on one connection, the later one finishing first", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(
      FcgiClient.requestBytes(5, { PATH_INFO: "/wait", QUERY_STRING: "mpx5" }, undefined, {
        keepConn: true,
      }),
    );
    client.write(
      FcgiClient.requestBytes(6, { PATH_INFO: "/wait", QUERY_STRING: "mpx6" }, undefined, {
        keepConn: true,
      }),
    );
    await waitFor(() => gates.has("mpx5") && gates.has("mpx6"));
    gates.get("mpx6")!();
    expect((await client.result(6)).body.toString()).toBe("waited mpx6");
    expect(client.records.some((r) => r.id === 5)).toBe(false);
    gates.get("mpx5")!();
    expect((await client.result(5)).body.toString()).toBe("waited mpx5");
    client.close();
  });

  it("parses a request sent as one-byte writes", async () => {
    const client = await FcgiClient.connect(server.address);
    const bytes = FcgiClient.requestBytes(
      3,
      { PATH_INFO: "/echo", CONTENT_LENGTH: "5" },
      Buffer.from("hello"),
    );
    for (const byte of bytes) {
      client.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    expect((await client.result(3)).body.toString()).toBe("hello");
    client.close();
  });

  it("takes 100 KB of params spread over many PARAMS records", async () => {
    const client = await FcgiClient.connect(server.address);
    const big = "b".repeat(100 * 1024);
    client.write(
      FcgiClient.requestBytes(
        1,
        { PATH_INFO: "/environ", HTTP_X_BIG: big, SHORT: "s" },
        undefined,
        {
          paramsRecordSize: 1000,
        },
      ),
    );
    const environ = JSON.parse((await client.result(1)).body.toString());
    expect(environ.HTTP_X_BIG).toBe(big);
    expect(environ.SHORT).toBe("s");
    expect(environ.FCGI_ROLE).toBe("RESPONDER");
    client.close();
  });

  it("answers FCGI_GET_VALUES with the values it knows", async () => {
    const client = await FcgiClient.connect(server.address);
    const asked = encodeParams([
      ["FCGI_MAX_CONNS", ""],
      ["FCGI_MAX_REQS", ""],
      ["FCGI_MPXS_CONNS", ""],
      ["SOMETHING_ELSE", ""],
    ]);
    client.write(encodeRecord(RecordType.GetValues, 0, asked));
    await client.until((rs) => rs.length > 0);
    const [reply] = client.records;
    expect([reply!.type, reply!.id]).toEqual([RecordType.GetValuesResult, 0]);
    expect(decodeParams(reply!.content)).toEqual({
      FCGI_MAX_CONNS: "1000",
      FCGI_MAX_REQS: "10000",
      FCGI_MPXS_CONNS: "1",
    });
    client.close();
  });

  it("answers a record type it does not know with FCGI_UNKNOWN_TYPE", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(encodeRecord(42, 0, Buffer.from("whatever")));
    await client.until((rs) => rs.length > 0);
    expect(client.records[0]!.type).toBe(RecordType.UnknownType);
    expect(client.records[0]!.content[0]).toBe(42);
    client.close();
  });

  it("refuses a role it does not know with FCGI_UNKNOWN_ROLE", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(FcgiClient.requestBytes(9, {}, undefined, { role: 7 }));
    const result = await client.result(9);
    expect(result.protocolStatus).toBe(ProtocolStatus.UnknownRole);
    expect(result.stdout.length).toBe(0);
    client.close();
  });

  it("serves the Authorizer role on PARAMS alone and the Filter role with its DATA stream", async () => {
    const auth = await FcgiClient.connect(server.address);
    const begin = FcgiClient.requestBytes(1, { PATH_INFO: "/environ" }, undefined, {
      role: Role.Authorizer,
    });
    auth.write(begin.subarray(0, begin.length - 8)); // no STDIN at all
    expect(JSON.parse((await auth.result(1)).body.toString()).FCGI_ROLE).toBe("AUTHORIZER");
    auth.close();
    const filter = await FcgiClient.connect(server.address);
    filter.write(
      FcgiClient.requestBytes(1, { PATH_INFO: "/environ" }, undefined, { role: Role.Filter }),
    );
    filter.write(encodeRecord(RecordType.Data, 1, Buffer.from("file body")));
    filter.write(encodeRecord(RecordType.Data, 1));
    const environ = JSON.parse((await filter.result(1)).body.toString());
    expect([environ.FCGI_ROLE, environ.data]).toEqual(["FILTER", "file body"]);
    filter.close();
  });

  it("sends wsgi.errors as FCGI_STDERR of the request", async () => {
    const result = await fcgiRequest(server.address, { PATH_INFO: "/stderr" });
    expect(result.stderr).toBe("something odd\n");
    expect(result.body.toString()).toBe("ok");
  });

  it("keeps wsgi.errors in its own log with errors: local, for peers that mishandle FCGI_STDERR", async () => {
    const local: string[] = [];
    const quiet = await startServer(app, {
      protocol: fastcgi({ errors: "local" }),
      listen: "127.0.0.1:0",
      log: (text) => local.push(text),
    });
    try {
      const result = await fcgiRequest(quiet.address, { PATH_INFO: "/stderr" });
      expect(result.stderr).toBe("");
      expect(result.body.toString()).toBe("ok");
      expect(local.join("")).toContain("something odd\n");
    } finally {
      await quiet.close(1000);
    }
  });

  it("ends wsgi.input at CONTENT_LENGTH whatever else STDIN holds", async () => {
    const cut = await fcgiRequest(
      server.address,
      { PATH_INFO: "/echo", CONTENT_LENGTH: "3" },
      Buffer.from("hello"),
    );
    expect(cut.body.toString()).toBe("hel");
    const none = await fcgiRequest(
      server.address,
      { PATH_INFO: "/echo", CONTENT_LENGTH: "0" },
      Buffer.from("stray"),
    );
    expect(none.body.toString()).toBe("");
    // Without a (valid) CONTENT_LENGTH, the stream is the body.
    const whole = await fcgiRequest(server.address, { PATH_INFO: "/echo" }, Buffer.from("hello"));
    expect(whole.body.toString()).toBe("hello");
  });

  it("reads the body and answers 413 over the limit without calling the app", async () => {
    const ok = await fcgiRequest(
      server.address,
      { PATH_INFO: "/echo", CONTENT_LENGTH: "3" },
      Buffer.from("abc"),
    );
    expect(ok.body.toString()).toBe("abc");
    const big = Buffer.alloc(5000, 0x61);
    const refused = await fcgiRequest(server.address, { PATH_INFO: "/echo" }, big);
    expect(refused.status).toBe(413);
    const declared = await fcgiRequest(
      server.address,
      { PATH_INFO: "/echo", CONTENT_LENGTH: "5000" },
      big,
    );
    expect(declared.status).toBe(413);
  });

  it("ends an aborted request with END_REQUEST and calls close()", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(
      FcgiClient.requestBytes(4, { PATH_INFO: "/stream", QUERY_STRING: "abort" }, undefined, {
        keepConn: true,
      }),
    );
    await client.until((rs) => rs.filter((r) => r.type === RecordType.Stdout).length > 4);
    client.write(encodeRecord(RecordType.AbortRequest, 4));
    const result = await client.result(4);
    expect(result.appStatus).not.toBe(0);
    await waitFor(() => closed.some((c) => c.startsWith("abort:")));
    expect(client.socket.destroyed).toBe(false);
    client.close();
  });

  it("stops a streaming response and calls close() when the front server goes away", async () => {
    const client = await FcgiClient.connect(server.address);
    client.write(FcgiClient.requestBytes(1, { PATH_INFO: "/stream", QUERY_STRING: "gone" }));
    await client.until((rs) => rs.length > 4);
    client.close();
    await waitFor(() => closed.some((c) => c.startsWith("gone:")));
  });

  it("never buffers a whole response for a peer that does not read", async () => {
    const client = await FcgiClient.connect(server.address);
    client.socket.pause();
    client.write(FcgiClient.requestBytes(1, { PATH_INFO: "/stream", QUERY_STRING: "slow" }));
    await new Promise((r) => setTimeout(r, 300));
    client.close();
    await waitFor(() => closed.some((c) => c.startsWith("slow:")));
    const chunks = Number(closed.find((c) => c.startsWith("slow:"))!.slice(5));
    // 16 KiB chunks: the generator was held back after a few MB of socket buffers, not run on.
    expect(chunks * 16 * 1024).toBeLessThan(16 * 1024 * 1024);
  });

  it("closes a connection that sends garbage, with a log line, and keeps serving", async () => {
    const before = logs.length;
    for (let i = 0; i < 20; i++) {
      const client = await FcgiClient.connect(server.address);
      client.write(Buffer.from("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      await client.closed;
    }
    expect(logs.slice(before).filter((l) => l.includes("ERR_FCGI_VERSION"))).toHaveLength(20);
    expect((await fcgiRequest(server.address, {})).status).toBe(200);
  });
});

describe("FastCGI under --max-concurrency", () => {
  it("ends a queued request the peer aborts without ever calling the app", async () => {
    const limited = await startServer(app, {
      protocol: fastcgi(),
      listen: "127.0.0.1:0",
      maxConcurrency: 1,
      log: () => {},
    });
    const client = await FcgiClient.connect(limited.address);
    const wait = (id: number, key: string) =>
      FcgiClient.requestBytes(id, { PATH_INFO: "/wait", QUERY_STRING: key }, undefined, {
        keepConn: true,
      });
    client.write(wait(1, "hold1"));
    client.write(wait(2, "queued2"));
    await waitFor(() => gates.has("hold1"));
    client.write(encodeRecord(RecordType.AbortRequest, 2));
    // The server shares this event loop: let it read the abort before the slot frees up.
    await new Promise((r) => setTimeout(r, 50));
    gates.get("hold1")!();
    expect((await client.result(1)).body.toString()).toBe("waited hold1");
    const aborted = await client.result(2);
    expect(aborted.appStatus).not.toBe(0);
    expect(gates.has("queued2")).toBe(false);
    client.close();
    await limited.close(1000);
  });

  it("queues up to the bound and answers 503 with FCGI_OVERLOADED beyond", async () => {
    const limited = await startServer(app, {
      protocol: fastcgi(),
      listen: "127.0.0.1:0",
      maxConcurrency: 1,
      maxQueue: 1,
      log: () => {},
    });
    const client = await FcgiClient.connect(limited.address);
    for (const id of [1, 2, 3]) {
      client.write(
        FcgiClient.requestBytes(id, { PATH_INFO: "/wait", QUERY_STRING: `q${id}` }, undefined, {
          keepConn: true,
        }),
      );
    }
    const refused = await client.result(3);
    expect([refused.status, refused.protocolStatus]).toEqual([503, ProtocolStatus.Overloaded]);
    await waitFor(() => gates.has("q1"));
    expect(gates.has("q2")).toBe(false);
    gates.get("q1")!();
    await waitFor(() => gates.has("q2"));
    gates.get("q2")!();
    expect((await client.result(2)).body.toString()).toBe("waited q2");
    client.close();
    await limited.close(1000);
  });
});
