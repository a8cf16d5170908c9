#!/usr/bin/env node
// nph-hello.js: status line and Content-Length by hand, printed with console.log, so the
// body carries one more newline than the length it declares.
var msg = "Hello " + (process.env.QUERY_STRING || "nobody");
console.log("HTTP/1.1 200 OK");
console.log("Content-Type: text/plain");
console.log("Content-Length: " + msg.length);
console.log("");
console.log(msg);
