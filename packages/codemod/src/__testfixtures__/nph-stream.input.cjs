#!/usr/bin/env node
// An nph- script: it sends its own status line, then streams from a timer.
var steps = ["one", "two", "three"];
process.stdout.write("HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n\r\n");
var i = 0;
var timer = setInterval(function () {
  process.stdout.write(steps[i++] + "\n");
  if (i === steps.length) clearInterval(timer);
}, 2);
