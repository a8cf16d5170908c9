#!/usr/bin/env node
// Fails without printing anything: exitCode 1 and no output is a 500 from the server.
var ok = process.env.QUERY_STRING === "ok";
if (ok) {
  console.log("Content-Type: text/plain\n\nok");
} else {
  console.error("refusing: no ok in the query");
  process.exitCode = 1;
}
