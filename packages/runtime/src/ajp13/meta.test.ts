import { describe, expect, it } from "vitest";
import type { AjpForwardRequest } from "./forward-request.js";
import { ajpRequestMeta } from "./meta.js";

const request: AjpForwardRequest = {
  method: "POST",
  protocol: "HTTP/1.1",
  uri: "/app/a%20b",
  remoteAddr: "192.0.2.1",
  remoteHost: "client.example",
  serverName: "example.org",
  serverPort: 443,
  isSsl: true,
  headers: [
    ["Content-Type", "text/plain"],
    ["Content-Length", "3"],
    ["Cookie", "a=1"],
    ["Cookie", "b=2"],
    ["Proxy", "evil"],
  ],
  attributes: {
    queryString: "x=%20",
    remoteUser: "alice",
    authType: "Basic",
    sslCipher: "TLS_AES_256_GCM_SHA384",
    sslKeySize: 256,
    route: "node1",
    secret: "never-shown",
    requestAttributes: [
      ["AJP_REMOTE_PORT", "51000"],
      ["AJP_LOCAL_ADDR", "10.0.0.1"],
      ["AJP_SSL_PROTOCOL", "TLSv1.3"],
      ["AJP_CUSTOM", "kept"],
    ],
  },
};

describe("ajpRequestMeta", () => {
  it("maps the request, headers and attributes to CGI meta-variables", () => {
    const meta = ajpRequestMeta(request, "/app");
    expect(meta).toMatchObject({
      REQUEST_METHOD: "POST",
      SERVER_PROTOCOL: "HTTP/1.1",
      SCRIPT_NAME: "/app",
      PATH_INFO: "/a b",
      QUERY_STRING: "x=%20",
      REQUEST_URI: "/app/a%20b?x=%20",
      SERVER_NAME: "example.org",
      SERVER_PORT: "443",
      REMOTE_ADDR: "192.0.2.1",
      REMOTE_HOST: "client.example",
      REMOTE_PORT: "51000",
      SERVER_ADDR: "10.0.0.1",
      HTTPS: "on",
      REMOTE_USER: "alice",
      AUTH_TYPE: "Basic",
      SSL_CIPHER: "TLS_AES_256_GCM_SHA384",
      SSL_CIPHER_USEKEYSIZE: "256",
      SSL_PROTOCOL: "TLSv1.3",
      AJP_ROUTE: "node1",
      AJP_CUSTOM: "kept",
      CONTENT_TYPE: "text/plain",
      CONTENT_LENGTH: "3",
      HTTP_COOKIE: "a=1; b=2",
    });
    expect(meta).not.toHaveProperty("HTTP_PROXY");
    expect(meta).not.toHaveProperty("HTTP_CONTENT_LENGTH");
    expect(Object.values(meta)).not.toContain("never-shown");
  });

  it("takes a URI outside the mount as already stripped by ProxyPass", () => {
    const meta = ajpRequestMeta({ ...request, uri: "/a%20b" }, "/app");
    expect(meta).toMatchObject({
      SCRIPT_NAME: "/app",
      PATH_INFO: "/a b",
      REQUEST_URI: "/app/a%20b?x=%20",
    });
  });

  it("mounts at the root by default", () => {
    const meta = ajpRequestMeta({ ...request, attributes: { requestAttributes: [] } });
    expect(meta).toMatchObject({ SCRIPT_NAME: "", PATH_INFO: "/app/a b", QUERY_STRING: "" });
    expect(meta.REQUEST_URI).toBe("/app/a%20b");
  });
});
