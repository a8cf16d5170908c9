#!/usr/bin/env -S node --import tsx
// process.exit() in TypeScript still narrows what follows it.
import { createHash } from "node:crypto";

import { cgiProcess, type CgiIo, type Environ, type StartResponse } from "@cgi2wsgi/runtime";

export function application(environ: Environ, start_response: StartResponse) {
  return cgiProcess(environ, start_response, (io: CgiIo) => {
    const { console, stdout } = io;

    const id = new URLSearchParams(environ.QUERY_STRING).get("id");
    if (!id) {
      console.log("Status: 400 Bad Request\nContent-Type: text/plain\n\nid is required");
      io.exit(0);
    }
    stdout.write("Content-Type: text/plain\n\n");
    stdout.write(`${id.toUpperCase()} ${createHash("sha1").update(id).digest("hex")}\n`);
  });
}
