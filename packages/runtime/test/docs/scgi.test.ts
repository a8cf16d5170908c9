import { startApacheSnippet, startLighttpdSnippet, startNginxSnippet } from "./frames.js";
import { serveDocumented } from "./serve-runtime.js";
import { snippet } from "./snippets.js";
import { describeDocumented } from "./stack.js";

describeDocumented("SCGI: nginx scgi_pass", async (started) => {
  const values = await serveDocumented("scgi-serve", "4000", started);
  started.front = await startNginxSnippet(snippet("scgi-nginx", values));
});

describeDocumented("SCGI: Apache mod_proxy_scgi", async (started) => {
  const values = await serveDocumented("scgi-serve", "4000", started);
  started.front = await startApacheSnippet(snippet("scgi-apache", values));
});

describeDocumented("SCGI: lighttpd mod_scgi", async (started) => {
  const values = await serveDocumented("scgi-serve", "4000", started);
  started.front = await startLighttpdSnippet(snippet("scgi-lighttpd", values));
});
