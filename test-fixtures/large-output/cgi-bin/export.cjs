#!/usr/bin/env node
// Streams a large export in many small writes (about 600 KB), as report scripts do.
var rows = parseInt(new URLSearchParams(process.env.QUERY_STRING).get("rows") || "10000", 10);
process.stdout.write("Content-Type: text/plain\n\n");
for (var i = 0; i < rows; i++) {
  process.stdout.write("row " + i + "," + ((i * 31) % 97) + ",lorem ipsum dolor sit amet\n");
}
