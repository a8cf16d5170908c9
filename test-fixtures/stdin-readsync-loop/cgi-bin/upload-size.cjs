#!/usr/bin/env node
// Reads the body synchronously in fixed blocks with fs.readSync on descriptor 0.
var fs = require("fs");
var buffer = Buffer.alloc(1024);
var total = 0;
var lines = 0;
for (;;) {
  var n = fs.readSync(0, buffer, 0, buffer.length, null);
  if (n === 0) break;
  total += n;
  for (var i = 0; i < n; i++) if (buffer[i] === 10) lines++;
}
process.stdout.write("Content-Type: text/plain\n\n" + total + " bytes, " + lines + " lines\n");
