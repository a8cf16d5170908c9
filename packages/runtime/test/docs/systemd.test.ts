import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../support/index.js";
import { startApacheSnippet, startNginxSnippet } from "./frames.js";
import { makeAppDir, stopAll } from "./runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented, type Started } from "./stack.js";
import { activate } from "./systemd.js";

async function activated(started: Started): Promise<Record<string, string>> {
  const appDir = await makeAppDir();
  const runDir = await makeTempDir("docs-run");
  started.dirs.push(appDir, runDir);
  const values = { "/srv/app": appDir, "/run/cgi2wsgi": runDir };
  started.runtime = await activate(
    snippet("systemd-socket", values),
    snippet("systemd-service", values),
  );
  return values;
}

describeDocumented("systemd socket activation behind nginx FastCGI", async (started) => {
  const values = await activated(started);
  started.front = await startNginxSnippet(snippet("fastcgi-nginx", values));
});

describe("docs/deploy.md: the activated socket's mode lets Apache's www-data connect", () => {
  const started: Started = { dirs: [] };
  let socket = "";
  beforeAll(async () => {
    const values = await activated(started);
    socket = join(values["/run/cgi2wsgi"]!, "app.sock");
    // The unix-socket ProxyPass form the FastCGI section gives in its text.
    const unix = {
      ...values,
      "fcgi://127.0.0.1:9000/app/": `unix:${socket}|fcgi://localhost/app/`,
    };
    started.front = await startApacheSnippet(snippet("fastcgi-apache", unix));
  });
  afterAll(() => stopAll([started.front, started.runtime], started.dirs));

  it("serves through a socket only root and the www-data group may open", async () => {
    expect((await stat(socket)).mode & 0o777).toBe(0o660);
    const res = await fetch(`${started.front!.baseUrl}/app/environ/x%20y`);
    expect(res.status).toBe(200);
    const environ = (await res.json()) as Record<string, unknown>;
    expect(environ.SCRIPT_NAME).toBe("/app");
    expect(environ.PATH_INFO).toBe("/environ/x y");
  });
});
