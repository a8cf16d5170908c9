import { once } from "node:events";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AjpTestClient } from "../../test/ajp13/client.js";
import { FcgiClient, fcgiRequest } from "../../test/fastcgi/client.js";
import { ajp13 } from "../ajp13/protocol.js";
import { fastcgi } from "../fastcgi/protocol.js";
import { encodeScgiRequest } from "../scgi/encode.js";
import { scgi } from "../scgi/protocol.js";
import { startServer, type RunningServer } from "../server/start.js";
import type { Application } from "../types.js";
import type { ContractViolation } from "./errors.js";
import { validator } from "./validator.js";

// FastCGI, SCGI and AJP13, each served by the shared server over a real socket, are the
// servers under the validator here; the peers are the protocols' own test clients.

const echo: Application = (environ, start) => {
  const body = environ["wsgi.input"].read();
  start("200 OK", [["Content-Type", "text/plain"]]);
  const text = `${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}|${environ.PATH_INFO} ${body}`;
  return Object.assign([text], { close: () => void closed++ });
};

/** What nginx sends with Debian's fastcgi_params / scgi_params for POST /app/x. */
const NGINX_META = {
  QUERY_STRING: "a=1",
  REQUEST_METHOD: "POST",
  CONTENT_TYPE: "text/plain",
  CONTENT_LENGTH: "3",
  SCRIPT_NAME: "/app",
  PATH_INFO: "/x",
  REQUEST_URI: "/app/x?a=1",
  DOCUMENT_URI: "/app/x",
  DOCUMENT_ROOT: "/var/www/html",
  SERVER_PROTOCOL: "HTTP/1.1",
  REQUEST_SCHEME: "http",
  GATEWAY_INTERFACE: "CGI/1.1",
  SERVER_SOFTWARE: "nginx/1.22.1",
  REMOTE_ADDR: "127.0.0.1",
  REMOTE_PORT: "50000",
  SERVER_ADDR: "127.0.0.1",
  SERVER_PORT: "80",
  SERVER_NAME: "localhost",
  HTTP_HOST: "localhost",
  HTTP_PROXY: "http://evil.example",
};

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close(100);
  running = undefined;
});

type Protocol = Parameters<typeof startServer>[1]["protocol"];

/** Closes of the application's body, counted by the applications below. */
let closed = 0;

async function serve(protocol: Protocol, app: Application = echo) {
  const seen: ContractViolation[] = [];
  closed = 0;
  const checked = validator(app, { onViolation: (v) => seen.push(v), closeTimeout: 50 });
  running = await startServer(checked, { protocol, listen: "127.0.0.1:0", log: () => {} });
  const port = Number(running.address.slice(running.address.lastIndexOf(":") + 1));
  return { seen, closes: () => closed, address: running.address, port };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = () => sleep(80);

let ticks = 0;
const endless: Application = (_e, start) => {
  start("200 OK", [["Content-Type", "text/plain"]]);
  const ticking = (async function* (): AsyncGenerator<string, void> {
    for (;;) {
      ticks++;
      yield "tick\n";
      await sleep(5);
    }
  })();
  return {
    [Symbol.asyncIterator]: () => ticking,
    close: () => {
      closed++;
      return ticking.return(undefined);
    },
  };
};

const GET_META = { ...NGINX_META, REQUEST_METHOD: "GET", CONTENT_LENGTH: "0" };

/** Starts a request for a never-ending body, and goes away once some of it arrived. */
const leaving: Record<string, (address: string, port: number) => Promise<void>> = {
  async fastcgi(address) {
    const client = await FcgiClient.connect(address);
    client.write(FcgiClient.requestBytes(1, GET_META));
    await sleep(30);
    client.close();
  },
  async scgi(_address, port) {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write(encodeScgiRequest(GET_META));
    await once(socket, "data");
    socket.destroy();
  },
  async ajp13(_address, port) {
    const client = await AjpTestClient.connect(port);
    void client.request({ uri: "/x" }).catch(() => {});
    await sleep(30);
    client.close();
  },
};

describe("protocol servers under the validator", () => {
  it("FastCGI hands a conforming environ and closes the body once", async () => {
    const { seen, closes, address } = await serve(fastcgi());
    const result = await fcgiRequest(address, NGINX_META, Buffer.from("abc"));
    expect(result.body.toString()).toBe("POST /app|/x abc");
    await settle();
    expect(seen).toEqual([]);
    expect(closes()).toBe(1);
  });

  it("SCGI hands a conforming environ and closes the body once", async () => {
    const { seen, closes, port } = await serve(scgi());
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.end(encodeScgiRequest(NGINX_META, "abc"));
    const parts: Buffer[] = [];
    for await (const chunk of socket) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString()).toMatch(/\r\n\r\nPOST \/app\|\/x abc$/);
    await settle();
    expect(seen).toEqual([]);
    expect(closes()).toBe(1);
  });

  it("AJP13 hands a conforming environ and closes the body once", async () => {
    const { seen, closes, port } = await serve(ajp13());
    const client = await AjpTestClient.connect(port);
    try {
      const reply = await client.request({ uri: "/x", body: Buffer.from("abc") });
      expect(reply.body.toString()).toBe("POST |/x abc");
      const head = await client.request({ uri: "/", method: "HEAD" });
      expect(head.status).toBe(200);
    } finally {
      client.close();
    }
    await settle();
    expect(seen).toEqual([]);
    expect(closes()).toBe(2);
  });

  it.each<[string, Protocol]>([
    ["fastcgi", fastcgi()],
    ["scgi", scgi()],
    ["ajp13", ajp13()],
  ])("%s closes a streaming body once when the peer goes away", async (name, protocol) => {
    const { seen, closes, address, port } = await serve(protocol, endless);
    await leaving[name]!(address, port);
    for (let i = 0; i < 50 && closes() === 0; i++) await sleep(10);
    expect(closes()).toBe(1);
    // A close() that lands while the generator awaits its sleep takes effect at its next
    // yield, one tick later: count from after that, then nothing more may be pulled.
    await sleep(20);
    const stopped = ticks;
    await settle();
    expect(ticks).toBe(stopped);
    expect(seen).toEqual([]);
  });
});
