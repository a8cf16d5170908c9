#!/usr/bin/env node
// Hands the request to a child process that reads QUERY_STRING from the inherited environment.
var childProcess = require("child_process");

var output = childProcess.execFileSync(process.execPath, [
  "-e",
  "process.stdout.write('child saw ' + (process.env.QUERY_STRING || '(empty)'))",
]);
process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write(output + "\n");
