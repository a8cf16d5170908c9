#!/usr/bin/env node
// Writes a big body respecting backpressure: waits for 'drain' whenever write() says so.
var total = Number(new URLSearchParams(process.env.QUERY_STRING).get("kb") || 256);
var line = "0123456789abcdef".repeat(63) + "\n";
var sent = 0;

process.stdout.write("Content-Type: text/plain\n\n");
(function pump() {
  while (sent < total) {
    sent++;
    if (!process.stdout.write(line)) {
      process.stdout.once("drain", pump);
      return;
    }
  }
  process.stdout.write("end after " + sent + " KiB\n");
})();
