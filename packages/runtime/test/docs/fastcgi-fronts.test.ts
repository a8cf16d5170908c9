import { describe, expect, it } from "vitest";
import { startCaddySnippet, startH2oSnippet, startHaproxySnippet } from "./fronts.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented } from "./stack.js";

describeDocumented(
  "FastCGI: Caddy",
  async (started) => {
    const values = await serveDocumented("fastcgi-serve-mount", "9000", started);
    started.front = await startCaddySnippet(snippet("fastcgi-caddy", values));
  },
  { timing: true },
);

describeDocumented(
  "FastCGI: h2o fastcgi.connect",
  async (started) => {
    const values = await serveDocumented("fastcgi-serve-mount", "9000", started);
    started.front = await startH2oSnippet(snippet("fastcgi-h2o", values));
  },
  { timing: true },
);

describeDocumented(
  "FastCGI: HAProxy fcgi-app, multiplexed",
  async (started) => {
    const values = await serveDocumented("fastcgi-serve-haproxy", "9000", started);
    started.front = await startHaproxySnippet(snippet("fastcgi-haproxy", values), "cgi2wsgi_fcgi");
  },
  { timing: true },
);
