#!/usr/bin/env node
// The body through stdin events, as text.
var querystring = require("querystring");

process.stdin.setEncoding("utf8");
var data = "";
process.stdin.on("data", function (chunk) {
  data += chunk;
});
process.stdin.on("end", function () {
  var form = querystring.parse(data);
  if (!form.name) {
    console.log("Status: 422 Unprocessable Entity\nContent-Type: text/plain\n");
    console.log("name is required");
    return;
  }
  console.log("Content-Type: text/plain\n");
  console.log("thanks, %s", form.name);
});
