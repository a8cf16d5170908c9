#!/usr/bin/env node
// Top-level for await over stdin, then a promise chain.

import { cgiProcess } from "@cgi2wsgi/runtime";

export function application(environ, start_response) {
  return cgiProcess(environ, start_response, async ({ stdin, console }) => {
    const chunks = [];
    for await (const chunk of stdin) chunks.push(chunk);
    const body = Buffer.concat(chunks);

    const checksum = await new Promise((resolve) => setTimeout(() => resolve(body.length * 7), 2));
    console.log("Content-Type: text/plain\n");
    console.log(`bytes=${body.length} checksum=${checksum}`);
  });
}
