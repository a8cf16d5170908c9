#!/usr/bin/env node
// Exits from the write callback, "to be sure the output is flushed", then code that must not run.
process.stdout.write("Content-Type: text/plain\n\nflushed\n", function () {
  process.exit(0);
});
setTimeout(function () {
  process.stdout.write("too late\n");
}, 100);
