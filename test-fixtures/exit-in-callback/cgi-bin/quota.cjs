#!/usr/bin/env node
// Exits from inside stdin and timer callbacks; later writes must never reach the client.
var size = 0;
process.stdin.on("data", function (chunk) {
  size += chunk.length;
  if (size > 16) {
    process.stdout.write("Status: 413 Payload Too Large\nContent-Type: text/plain\n\ntoo big\n");
    process.exit(0);
  }
});
process.stdin.on("end", function () {
  process.stdout.write("Content-Type: text/plain\n\n");
  process.stdout.write("received " + size + " bytes\n");
  setTimeout(function () {
    process.stdout.write("done\n");
    process.exit();
  }, 10);
  setTimeout(function () {
    process.stdout.write("never printed\n");
  }, 50);
});
