import { once } from "node:events";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AjpTestClient } from "../../test/ajp13/client.js";
import { fcgiRequest } from "../../test/fastcgi/client.js";
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
  return [`${environ.REQUEST_METHOD} ${environ.SCRIPT_NAME}|${environ.PATH_INFO} ${body}`];
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

async function serve(protocol: Parameters<typeof startServer>[1]["protocol"]) {
  const seen: ContractViolation[] = [];
  let closed = 0;
  const tracked: Application = async (environ, start) =>
    Object.assign(await echo(environ, start), { close: () => void closed++ });
  const app = validator(tracked, { onViolation: (v) => seen.push(v), closeTimeout: 50 });
  running = await startServer(app, { protocol, listen: "127.0.0.1:0", log: () => {} });
  const port = Number(running.address.slice(running.address.lastIndexOf(":") + 1));
  return { seen, closes: () => closed, address: running.address, port };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 80));

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
});
