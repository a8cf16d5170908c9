import { join } from "node:path";
import { request } from "@cgi2wsgi/runtime";
import { register } from "tsx/cjs/api";
import { beforeAll, describe, expect, it } from "vitest";
import { formatReport, loadApplication, verifyPair } from "../equivalence/index.js";
import type { CaseRequest } from "../equivalence/index.js";

const fixtures = join(import.meta.dirname, "..", "__testfixtures__");
const form = { "Content-Type": "application/x-www-form-urlencoded" };

// Each migrated fixture against its legacy script run as a real CGI process, request by request.
const cases: Record<string, CaseRequest[]> = {
  "static-console.cjs": [{}, { query: "who=Ada" }, { method: "HEAD" }],
  "collected-loop.cjs": [
    {},
    { query: "item=a&item=none&item=b" },
    { query: "item=a&item=zzz&item=b" },
  ],
  "redirect.cjs": [{}],
  "env-forms.cjs": [
    {},
    { method: "POST", query: "a=1", headers: { Accept: "text/html", "X-Visits": "4" } },
  ],
  "stdin-events.cjs": [
    { method: "POST", headers: form, body: "name=Ad%C3%A1" },
    { method: "POST", headers: form, body: "" },
  ],
  "collected-stdin.cjs": [
    {},
    { method: "POST", headers: form, body: "x=1&name=Ad%C3%A1&json=[1,2]" },
    { method: "POST", headers: form, body: "a=1&b=2" },
  ],
  "read-stdin-sync.mjs": [
    {},
    { method: "POST", body: "héllo wörld" },
    { method: "PUT", body: "héllo" },
  ],
  "exit-callback.mjs": [{}, { query: "id=7" }],
  "nph-stream.cjs": [{}],
  "typed.ts": [
    { method: "POST", body: '[{"sku":"a","quantity":2},{"sku":"b","quantity":3}]' },
    { method: "GET" },
    { method: "POST", body: "not json" },
  ],
  "read-sync-loop.cjs": [{ method: "POST", body: "hello, wörld" }, {}],
  "process-destructuring.mjs": [{ query: "q=1" }, { method: "POST" }],
  "main-guard.cjs": [{}, { query: "name=Ada" }],
  "exit-typed.ts": [{}, { query: "id=ada" }],
  "await-stdin.mjs": [{ method: "POST", body: "12345" }, {}],
};

beforeAll(() => {
  // Migrated CommonJS modules require @cgi2wsgi/runtime, whose source is TypeScript.
  register();
});

describe("migrated fixtures answer as their legacy scripts did under CGI", () => {
  for (const [name, requests] of Object.entries(cases)) {
    it(name, async () => {
      const [base, ext] = [name.slice(0, name.lastIndexOf(".")), name.slice(name.lastIndexOf("."))];
      const report = await verifyPair(
        join(fixtures, `${base}.input${ext}`),
        await loadApplication(join(fixtures, `${base}.output${ext}`)),
        requests,
      );
      expect(report.equivalent, formatReport(report)).toBe(true);
    });
  }
});

describe("migrated fixtures, request by request", () => {
  it("a plain application answers HEAD without a body and keeps the static headers", async () => {
    const app = await loadApplication(join(fixtures, "static-console.output.cjs"));
    const res = await request(app, { method: "HEAD", query: "who=Ada" });
    expect(res.status).toBe(200);
    expect(res.header("cache-control")).toBe("no-store");
    expect(res.body.length).toBe(0);
  });

  it("exit() in a helper ends the request there, and a later timer never writes", async () => {
    const app = await loadApplication(join(fixtures, "exit-callback.output.mjs"));
    const missing = await request(app);
    expect(missing.status).toBe(400);
    expect(missing.text()).toBe("id is required\n");
    const found = await request(app, { query: "id=7" });
    expect(found.text()).toBe("record 7\n");
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  it("module-level state starts fresh for every request", async () => {
    const app = await loadApplication(join(fixtures, "env-forms.output.cjs"));
    const first = await request(app, { headers: { "X-Visits": "1" } });
    const second = await request(app, { headers: { "X-Visits": "1" } });
    expect(second.text()).toBe(first.text());
    expect(process.env.VISITS).toBeUndefined();
  });
});
