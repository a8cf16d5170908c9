#!/usr/bin/env node
// Sloppy-mode form handler: no var anywhere, so every name below is an implicit global.
qs = require("querystring");

body = "";
process.stdin.on("data", function (c) {
  body += c;
});
process.stdin.on("end", function () {
  values = qs.parse(body);
  submissions = (typeof submissions === "number" ? submissions : 0) + 1;
  console.log("Content-Type: text/plain\n");
  console.log("submission #" + submissions + " from " + (values.name || "nobody"));
});
