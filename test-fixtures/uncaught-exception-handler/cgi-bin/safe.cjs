#!/usr/bin/env node
// A "robust" script: a process-wide handler turns any crash into its own 500 page.
var headersSent = false;
process.on("uncaughtException", function (err) {
  if (!headersSent)
    process.stdout.write("Status: 500 Internal Server Error\nContent-Type: text/plain\n\n");
  process.stdout.write("sorry: " + err.message + "\n");
  process.exit(1);
});

var n = Number(new URLSearchParams(process.env.QUERY_STRING).get("n") || "1");
if (n < 0) throw new Error("negative n");
process.stdout.write("Content-Type: text/plain\n\n");
headersSent = true;
process.stdout.write("sqrt " + Math.sqrt(n).toFixed(3) + "\n");
if (n > 100) throw new Error("too big after headers");
