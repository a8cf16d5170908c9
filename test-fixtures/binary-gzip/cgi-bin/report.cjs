#!/usr/bin/env node
// Sends a gzip-compressed CSV report when the client accepts it.
const zlib = require("zlib");

const rows = [["id", "name", "total"]];
for (let i = 1; i <= 50; i++) rows.push([i, `customer-${i}`, (i * 7.25).toFixed(2)]);
const csv = rows.map((r) => r.join(",")).join("\r\n") + "\r\n";

const gzip = /\bgzip\b/.test(process.env.HTTP_ACCEPT_ENCODING || "");
const out = process.stdout;
out.write("Content-Type: text/csv; charset=utf-8\n");
out.write('Content-Disposition: attachment; filename="report.csv"\n');
out.write("Vary: Accept-Encoding\n");
if (gzip) out.write("Content-Encoding: gzip\n");
out.write("\n");
out.write(gzip ? zlib.gzipSync(csv) : csv);
