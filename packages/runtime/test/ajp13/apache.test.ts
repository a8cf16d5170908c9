import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleAjpConnection, type AjpOptions } from "../../src/ajp13/handler.js";
import { application } from "../conformance/app.js";
import { behindFront } from "../conformance/behind-front.js";
import { describeConformance } from "../conformance/suite.js";
import { startApache } from "../support/apache.js";
import { listen, testContext } from "../scgi/context.js";

const MOUNT = "/app";
const CPING = Buffer.from([0x12, 0x34, 0x00, 0x01, 0x0a]);

/**
 * The gateway on a free port and Apache mod_proxy_ajp in front of it at `/app`. With
 * `worker`, the application is reached instead through an extra `ProxyPass <mount>/` line
 * whose worker parameters (secret=, ping=) the support config does not set.
 */
async function stack(
  options: AjpOptions,
  worker?: { mount: string; params: string; extraConfig?: string },
) {
  const mount = worker?.mount ?? MOUNT;
  const context = testContext(application);
  let cpings = 0;
  const gateway = await listen((socket) => {
    socket.on("data", (chunk: Buffer) => void (chunk.equals(CPING) && cpings++));
    handleAjpConnection(socket, context, { mount, ...options });
  });
  // "localhost" names a worker apart from the support config's 127.0.0.1 one.
  const extraConfig = worker
    ? `ProxyPass "${mount}/" "ajp://localhost:${gateway.port}/" ${worker.params}\n` +
      `<Location "${mount}/">\n  Require all granted\n</Location>\n${worker.extraConfig ?? ""}`
    : "";
  const target = await behindFront(
    () =>
      startApache({
        mode: { kind: "ajp", backend: { host: "127.0.0.1", port: gateway.port } },
        mount: MOUNT,
        extraConfig,
      }),
    mount,
    () => gateway.close(),
  );
  return { ...target, context, cpings: () => cpings };
}

describeConformance("AJP13 behind Apache mod_proxy_ajp", () => stack({}), { timing: true });

describe("AJP13 behind Apache with 64 KiB packets and CPING before each request", () => {
  let target: Awaited<ReturnType<typeof stack>>;
  beforeAll(async () => {
    target = await stack(
      { packetSize: 65536 },
      { mount: "/pinged", params: "ping=2", extraConfig: "ProxyIOBufferSize 65536" },
    );
  });
  afterAll(() => target?.close());

  it("answers CPING and sends a 1 MiB body in 64 KiB packets", async () => {
    const res = await fetch(`${target.baseUrl}/large`);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(1024 * 1024);
    expect(target.cpings()).toBeGreaterThan(0);
  });

  it("reads a 100 KB request body in 64 KiB packets", async () => {
    const body = Buffer.alloc(100_000, 0x5a);
    const res = await fetch(`${target.baseUrl}/echo`, { method: "POST", body });
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });
});

describe("AJP13 shared secret behind Apache", () => {
  let right: Awaited<ReturnType<typeof stack>>;
  let wrong: Awaited<ReturnType<typeof stack>>;
  const worker = { mount: "/secret", params: "secret=s3cret" };

  beforeAll(async () => {
    [right, wrong] = await Promise.all([
      stack({ secret: "s3cret" }, worker),
      stack({ secret: "other" }, worker),
    ]);
  });
  afterAll(async () => {
    await right?.close();
    await wrong?.close();
  });

  it("serves requests that carry the configured secret", async () => {
    const res = await fetch(`${right.baseUrl}/hello`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Hello, world!\n");
  });

  it("refuses requests with another secret, and logs why", async () => {
    const res = await fetch(`${wrong.baseUrl}/hello`);
    expect(res.status).toBe(403);
    await res.arrayBuffer();
    expect(wrong.context.logs.join("")).toContain("secret");
  });
});

describe("AJP13 attributes from Apache", () => {
  let target: Awaited<ReturnType<typeof stack>>;
  const users = join(tmpdir(), `cgi2wsgi-ajp-users-${process.pid}`);

  beforeAll(async () => {
    const digest = createHash("sha1").update("secret").digest("base64");
    await writeFile(users, `alice:{SHA}${digest}\n`, { mode: 0o644 });
    const modules = ["authn_core", "authn_file", "auth_basic", "authz_user"]
      .map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`)
      .join("\n");
    target = await stack(
      {},
      {
        mount: "/private",
        params: "",
        extraConfig: `${modules}
<Location "/private/">
  AuthType Basic
  AuthName "test"
  AuthUserFile "${users}"
  Require valid-user
  SetEnv AJP_DEPLOYMENT blue
</Location>`,
      },
    );
  });
  afterAll(async () => {
    await target?.close();
    await rm(users, { force: true });
  });

  it("passes REMOTE_USER, AUTH_TYPE, REMOTE_PORT and AJP_* variables", async () => {
    const res = await fetch(`${target.baseUrl}/environ/x?q=1`, {
      headers: { Authorization: `Basic ${Buffer.from("alice:secret").toString("base64")}` },
    });
    expect(res.status).toBe(200);
    const environ = (await res.json()) as Record<string, string>;
    expect(environ).toMatchObject({
      REMOTE_USER: "alice",
      AUTH_TYPE: "Basic",
      SCRIPT_NAME: "/private",
      PATH_INFO: "/environ/x",
      QUERY_STRING: "q=1",
      DEPLOYMENT: "blue",
    });
    expect(environ.REMOTE_PORT).toMatch(/^\d+$/);
  });
});
