#!/usr/bin/env node
// Writes through aliases of process.stdout and a bound write function.
var out = process.stdout;
var write = process.stdout.write.bind(process.stdout);
var rows = Number(new URLSearchParams(process.env.QUERY_STRING).get("rows") || 3);

out.write("Content-Type: text/html\n\n");
write("<table>\n");
for (var i = 1; i <= rows; i++) {
  out.write("  <tr><td>" + i + "</td><td>" + i * i + "</td></tr>\n");
}
write("</table>\n");
