#!/usr/bin/env node
// Echoes the raw request body; reads /dev/stdin like the shell scripts it replaced.
var fs = require("fs");

var body = "";
if (process.env.REQUEST_METHOD === "POST" || process.env.REQUEST_METHOD === "PUT") {
  body = fs.readFileSync("/dev/stdin", "utf8");
}

console.log("Content-Type: text/plain");
console.log("X-Body-Length: " + Buffer.byteLength(body));
console.log("");
console.log("method=%s type=%s", process.env.REQUEST_METHOD, process.env.CONTENT_TYPE || "-");
console.log(body);
