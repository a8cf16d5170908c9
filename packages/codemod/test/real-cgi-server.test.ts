import { request as httpRequest } from "node:http";
import { chmod, copyFile, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Headers } from "@cgi2wsgi/runtime";
import { compareResponses, resolveRequest, runLegacyCgi } from "../src/equivalence/index.js";
import type { CaseRequest, CaseResponse } from "../src/equivalence/index.js";
import {
  makeTempDir,
  removeTempDir,
  startApache,
  startLighttpd,
  startNginxCgi,
  type FrontServer,
} from "../../runtime/test/support/index.js";

// The harness claims to answer as a CGI server would. This proves it against the real
// thing: nginx in front of fcgiwrap, running the same scripts for the same requests.

const fixtures = resolve(import.meta.dirname, "../../../test-fixtures");

/** Output shapes a script may print, by name; the probe prints the one named in the query. */
const OUTPUTS: Record<string, string> = {
  lf: "Content-Type: text/plain\n\nhello",
  crlf: "Content-Type: text/plain\r\n\r\nhello",
  mixed: "Content-Type: text/plain\r\n\nhello",
  status: "Status: 404 Not Found\nContent-Type: text/plain\n\nmissing",
  lowercase: "status: 403 Nope\ncontent-type: text/plain\n\n",
  location: "Location: https://example.org/\n\n",
  statusWinsOverLocation: "Status: 301 Moved\nLocation: /y\n\n",
  cookies: "Content-Type: text/plain\nSet-Cookie: a=1\nSet-Cookie: b=2\n\nbody",
  noContentType: "X-Foo: bar\n\nbody",
  noSpace: "Content-Type:text/plain\nX-A:1\n\nbody",
  trailingSpace: "Content-Type: text/plain   \nX-T:   v  \n\nbody",
  emptyValue: "Content-Type: text/plain\nX-Empty:\n\nbody",
  binary: "Content-Type: application/octet-stream\n\n\u0000\u0001\r\n\r\n\u00ff",
  noHeaders: "just text\n",
  blankFirst: "\nbody",
  unterminated: "Content-Type: text/plain\n",
  folded: "Content-Type: text/plain\nX-Fold: a\n b\n\n",
  badName: "X Bad: 1\n\n",
  badStatus: "Status: abc\n\n",
  lowStatus: "Status: 99 Low\n\n",
  crOnly: "Content-Type: text/plain\r\rbody",
  hugeHeader: `Content-Type: text/plain\nX-Big: ${"a".repeat(10_000)}\n\nbody`,
  empty: "",
  codeOnly: "Status: 200\nContent-Type: text/plain\n\nbody",
  colonless: "Content-Type: text/plain\nJunk\n\nbody",
};

const PROBE = `#!/usr/bin/env node
const outputs = ${JSON.stringify(OUTPUTS)};
process.stdout.write(Buffer.from(outputs[process.env.QUERY_STRING] ?? "", "latin1"));
`;

/**
 * Fixtures and their scripts served side by side. Copied, not linked: Apache runs them as
 * www-data, which may not traverse the checkout (a clone in root's mode-700 home).
 */
const SERVED: Array<[fixture: string, script: string]> = [
  ["hello-var", "hello.cjs"],
  ["cookies-visits", "visits.cjs"],
  ["router-path-info", "shop.cjs"],
  ["form-post-callback", "form.cjs"],
  ["upload-multipart", "upload.cjs"],
  ["binary-png", "pixel.cjs"],
  ["post-redirect-get", "comment.cjs"],
  ["headers-loop", "cors.cjs"],
  ["exit-in-callback", "quota.cjs"],
  ["uncaught-error", "broken.cjs"],
  ["form-dev-stdin", "echo.cjs"],
  ["stdin-close-event", "words.cjs"],
];

let dir: string;
let nginx: FrontServer;
let apache: FrontServer;
let lighttpd: FrontServer;

beforeAll(async () => {
  dir = await makeTempDir("harness-nginx");
  const scripts = join(dir, "cgi-bin");
  await mkdir(scripts);
  await chmod(scripts, 0o755);
  await writeFile(join(scripts, "probe.cjs"), PROBE, { mode: 0o755 });
  for (const [fixture, script] of SERVED) {
    await copyFile(join(fixtures, fixture, "cgi-bin", script), join(scripts, script));
    await chmod(join(scripts, script), 0o755);
  }
  [nginx, apache, lighttpd] = await Promise.all([
    startNginxCgi({ scriptsDir: scripts }),
    startApache({ mode: { kind: "cgi", scriptsDir: scripts } }),
    startLighttpd({ mode: { kind: "cgi", scriptsDir: scripts } }),
  ]);
});

afterAll(async () => {
  await Promise.all([nginx?.close(), apache?.close(), lighttpd?.close()]);
  if (dir) await removeTempDir(dir);
});

/**
 * Sends a fixture request to a front server and reads the answer as its client got it. The
 * scripts served here never answer 5xx themselves, so a 5xx is the server's own page.
 */
function via(server: FrontServer, script: string, caseRequest: CaseRequest): Promise<CaseResponse> {
  const req = resolveRequest(caseRequest, script);
  const target = `${req.scriptName}${req.pathInfo}${req.query ? `?${req.query}` : ""}`;
  return new Promise((done, fail) => {
    const outgoing = httpRequest(
      `${server.baseUrl}${target}`,
      { method: req.method, headers: Object.fromEntries(req.headers) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const headers: Headers = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          }
          const status = res.statusCode ?? 0;
          done({
            status: `${status} ${res.statusMessage ?? ""}`,
            headers,
            body: Buffer.concat(chunks),
            origin: status >= 500 ? "gateway" : "script",
            errors: "",
          });
        });
      },
    );
    outgoing.on("error", fail);
    outgoing.end(req.body);
  });
}

const probe = () => join(dir, "cgi-bin", "probe.cjs");
const viaNginx = (script: string, request: CaseRequest) => via(nginx, script, request);

describe("the harness parses CGI output as nginx + fcgiwrap does", () => {
  // Where we differ on purpose, the test below says so; every other shape must agree.
  const deliberate = new Set(["empty", "location", "codeOnly", "colonless"]);
  for (const name of Object.keys(OUTPUTS).filter((n) => !deliberate.has(n))) {
    it(name, async () => {
      const [real, ours] = await Promise.all([
        viaNginx(probe(), { query: name }),
        runLegacyCgi(probe(), { query: name }),
      ]);
      expect(compareResponses(real, ours)).toEqual([]);
    });
  }

  it("empty output: nginx says 502 whatever the exit code; we say 502 too, and 500 (as Apache) after a crash", async () => {
    const real = await viaNginx(probe(), { query: "empty" });
    const ours = await runLegacyCgi(probe(), { query: "empty" });
    expect([real.status, ours.status]).toEqual(["502 Bad Gateway", "502 Bad Gateway"]);
    const crash = await runLegacyCgi(join(fixtures, "uncaught-error", "cgi-bin", "broken.cjs"), {
      query: "crash",
    });
    expect(crash.status).toBe("500 Internal Server Error");
  });
});

describe("where the harness differs from nginx on purpose", () => {
  const both = (query: string) =>
    Promise.all([viaNginx(probe(), { query }), runLegacyCgi(probe(), { query })]);

  it("words a bare Location 302 Found (RFC 9110, Apache) where nginx says Moved Temporarily", async () => {
    const [real, ours] = await both("location");
    expect([real.status, ours.status]).toEqual(["302 Moved Temporarily", "302 Found"]);
    expect(compareResponses({ ...real, status: ours.status }, ours)).toEqual([]);
  });

  it("fills in the reason phrase of a bare status code, which nginx leaves empty", async () => {
    const [real, ours] = await both("codeOnly");
    expect([real.status, ours.status]).toEqual(["200 ", "200 OK"]);
  });

  it("refuses a header line without a colon, which nginx passes on as an empty header", async () => {
    const [real, ours] = await both("colonless");
    expect(real.headers.some(([name]) => name === "Junk")).toBe(true);
    expect(ours).toMatchObject({ status: "502 Bad Gateway", origin: "gateway" });
  });
});

/**
 * One test per served fixture but `skip`: every request in its requests.json must get the
 * same answer from `server` (read once `beforeAll` has started it) as from the harness, once
 * `strip` drops what that server adds on its own.
 */
function fixturesAgree(
  title: string,
  server: () => FrontServer,
  skip?: string,
  strip: (answer: CaseResponse) => CaseResponse = (answer) => answer,
): void {
  describe(title, () => {
    for (const [fixture, script] of SERVED.filter(([name]) => name !== skip)) {
      it(fixture, async () => {
        const { default: requests } = (await import(join(fixtures, fixture, "requests.json"), {
          with: { type: "json" },
        })) as { default: CaseRequest[] };
        const served = join(dir, "cgi-bin", script);
        for (const request of requests) {
          const real = strip(await via(server(), served, request));
          const ours = await runLegacyCgi(served, request);
          const which = `${fixture} ${JSON.stringify(request)}`;
          expect(compareResponses(real, ours), which).toEqual([]);
        }
      });
    }
  });
}

// A crash without output is nginx's 502 and Apache's 500; we answer 500 (tested above).
fixturesAgree(
  "fixtures answer through nginx + fcgiwrap as through the harness",
  () => nginx,
  "uncaught-error",
);

fixturesAgree("fixtures answer through Apache mod_cgi as through the harness", () => apache);

// Under lighttpd a request without a body never sees 'close' on stdin, so that script
// hangs there (500); nginx + fcgiwrap and Apache close the pipe, as the harness does.
// lighttpd adds Accept-Ranges to every answer on its own.
fixturesAgree(
  "fixtures answer through lighttpd mod_cgi as through the harness",
  () => lighttpd,
  "stdin-close-event",
  (answer) => ({ ...answer, headers: answer.headers.filter(([n]) => n !== "Accept-Ranges") }),
);
