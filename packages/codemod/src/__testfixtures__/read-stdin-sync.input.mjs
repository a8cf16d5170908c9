#!/usr/bin/env node
// The body read at once from descriptor 0 or /dev/stdin.
import fs, { readFileSync } from "node:fs";

const length = Number(process.env.CONTENT_LENGTH || 0);
const text = length > 0 ? readFileSync(0, "utf8") : "";
const again = fs.readFileSync("/dev/stdin");

process.stdout.write(`Content-Type: application/json\n\n`);
process.stdout.write(JSON.stringify({ text, rest: again.length }) + "\n");
