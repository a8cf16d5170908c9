#!/usr/bin/env node
// A non-parsed-header script: it writes the HTTP status line itself and streams its body.
var steps = ["connecting", "copying", "verifying", "done"];
process.stdout.write("HTTP/1.1 200 OK\r\n");
process.stdout.write("Content-Type: text/plain\r\n");
process.stdout.write("Cache-Control: no-cache\r\n\r\n");
var i = 0;
(function next() {
  if (i === steps.length) return;
  process.stdout.write(i + 1 + "/" + steps.length + " " + steps[i++] + "\n");
  setTimeout(next, 5);
})();
