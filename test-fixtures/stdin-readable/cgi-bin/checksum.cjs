#!/usr/bin/env node
// Reads the body with 'readable' and read(), then answers its checksum.
var crypto = require("crypto");
var hash = crypto.createHash("sha256");
var total = 0;

process.stdin.on("readable", function () {
  var chunk;
  while ((chunk = process.stdin.read()) !== null) {
    total += chunk.length;
    hash.update(chunk);
  }
});
process.stdin.on("end", function () {
  process.stdout.write("Content-Type: text/plain\n\n");
  process.stdout.write(total + " " + hash.digest("hex") + "\n");
});
