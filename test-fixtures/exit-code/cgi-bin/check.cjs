#!/usr/bin/env node
// Sets process.exitCode after a complete answer: a CGI server still sends the output.
var ok = process.env.QUERY_STRING !== "fail";
console.log("Content-Type: text/plain");
console.log("");
console.log(ok ? "all checks passed" : "a check failed");
if (!ok) process.exitCode = 2;
