#!/usr/bin/env node
// Reads a data file located relative to the module with import.meta.url.
import { readFile } from "node:fs/promises";

const release = JSON.parse(
  await readFile(new URL("../data/release.json", import.meta.url), "utf8"),
);
const field = new URLSearchParams(process.env.QUERY_STRING).get("field");

process.stdout.write("Content-Type: application/json\n\n");
process.stdout.write(JSON.stringify(field ? { [field]: release[field] ?? null } : release) + "\n");
