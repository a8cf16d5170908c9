#!/usr/bin/env node
// The process object destructured: env, stdout and exit per request, argv still the process's.

import { cgiEnv, cgiProcess } from "@cgi2wsgi/runtime";

export function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ stdout, exit: cgiExit }) => {
    const env = cgiEnv(environ),
      out = stdout,
      exit = cgiExit,
      { argv } = process;

    if (env.REQUEST_METHOD !== "GET") {
      out.write("Status: 405 Method Not Allowed\nAllow: GET\n\n");
      exit(0);
    }
    out.write("Content-Type: text/plain\n\n");
    setImmediate(() => out.write(`${env.QUERY_STRING || "-"} ${typeof argv}\n`));
  });
}
