#!/usr/bin/env node
// The body read at once from descriptor 0 or /dev/stdin.
import fs, { readFileSync } from "node:fs";

export function application(environ, start_response) {
  const length = Number(environ.CONTENT_LENGTH || 0);
  const text = length > 0 ? environ["wsgi.input"].read().toString("utf8") : "";
  const again = environ["wsgi.input"].read();

  start_response("200 OK", [["Content-Type", "application/json"]]);

  return [JSON.stringify({ text, rest: again.length }) + "\n"];
}
