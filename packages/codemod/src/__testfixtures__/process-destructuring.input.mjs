#!/usr/bin/env node
// The process object destructured: env, stdout and exit per request, argv still the process's.
const { env, stdout: out, exit, argv } = process;

if (env.REQUEST_METHOD !== "GET") {
  out.write("Status: 405 Method Not Allowed\nAllow: GET\n\n");
  exit(0);
}
out.write("Content-Type: text/plain\n\n");
setImmediate(() => out.write(`${env.QUERY_STRING || "-"} ${typeof argv}\n`));
