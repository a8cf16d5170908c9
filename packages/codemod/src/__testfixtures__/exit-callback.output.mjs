#!/usr/bin/env node
// process.exit() from a helper and from a timer: nothing after it may run.

import { cgiProcess } from "@cgi2wsgi/runtime";

export function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console, exit, stdout }) => {
    function die(status, message) {
      console.log(`Status: ${status}\nContent-Type: text/plain\n\n${message}`);
      exit(0);
    }

    const id = new URLSearchParams(environ.QUERY_STRING).get("id");
    if (!id) die("400 Bad Request", "id is required");

    stdout.write("Content-Type: text/plain\n\n");
    setTimeout(() => {
      stdout.write(`record ${id}\n`);
      exit();
    }, 5);
    setTimeout(() => stdout.write("never sent\n"), 30);
  });
}
