#!/usr/bin/env node
// The body read in a readSync loop on descriptor 0, as scripts ported from C did.
var fs = require("fs");

var chunks = [];
var buffer = Buffer.alloc(4);
var n;
while ((n = fs.readSync(0, buffer, 0, buffer.length, null)) > 0) {
  chunks.push(Buffer.from(buffer.subarray(0, n)));
}
var body = Buffer.concat(chunks).toString("utf8");

console.log("Content-Type: text/plain\n");
console.log("read %d chunks: %s", chunks.length, body.toUpperCase());
