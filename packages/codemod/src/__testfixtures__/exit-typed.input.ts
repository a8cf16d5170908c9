#!/usr/bin/env -S node --import tsx
// process.exit() in TypeScript still narrows what follows it.
import { createHash } from "node:crypto";

const id = new URLSearchParams(process.env.QUERY_STRING).get("id");
if (!id) {
  console.log("Status: 400 Bad Request\nContent-Type: text/plain\n\nid is required");
  process.exit(0);
}
process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write(`${id.toUpperCase()} ${createHash("sha1").update(id).digest("hex")}\n`);

export {};
