#!/usr/bin/env node
// Prints headers and some body, then throws: the client gets what was printed.
var rows = [{ n: "a" }, { n: "b" }, null, { n: "d" }];
process.stdout.write("Content-Type: text/plain\n\n");
var limit = process.env.QUERY_STRING === "all" ? rows.length : 2;
for (var i = 0; i < limit; i++) {
  process.stdout.write("row " + rows[i].n + "\n");
}
