#!/usr/bin/env node
// The body read at once from descriptor 0 or /dev/stdin.
import fs, { readFileSync } from "node:fs";

export function application(environ, start_response) {
  const length = Number(environ.CONTENT_LENGTH || 0);
  const text =
    environ.REQUEST_METHOD === "PUT"
      ? environ["wsgi.input"].read().toString("latin1")
      : length > 0
        ? environ["wsgi.input"].read().toString("utf8")
        : "";

  start_response("200 OK", [["Content-Type", "application/json"]]);

  return [JSON.stringify({ text, length: text.length }) + "\n"];
}
