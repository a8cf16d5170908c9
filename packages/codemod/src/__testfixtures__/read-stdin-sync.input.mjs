#!/usr/bin/env node
// The body read at once from descriptor 0 or /dev/stdin.
import fs, { readFileSync } from "node:fs";

const length = Number(process.env.CONTENT_LENGTH || 0);
const text =
  process.env.REQUEST_METHOD === "PUT"
    ? fs.readFileSync("/dev/stdin").toString("latin1")
    : length > 0
      ? readFileSync(0, "utf8")
      : "";

process.stdout.write(`Content-Type: application/json\n\n`);
process.stdout.write(JSON.stringify({ text, length: text.length }) + "\n");
