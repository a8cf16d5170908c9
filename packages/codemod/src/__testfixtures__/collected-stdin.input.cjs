#!/usr/bin/env node
// A form read through stdin events and echoed: it migrates to a plain application that
// reads the whole body, then runs the listeners in the order the stream would emit.
var fields = [];
process.stdin.setEncoding("utf8");
var body = "";
process.stdin.on("data", (chunk) => {
  body += chunk;
});
process.stdin.on("end", function () {
  new URLSearchParams(body).forEach((value, name) => fields.push(name + "=" + value));
  console.log("Content-Type: text/plain; charset=utf-8\n");
  console.log("%d field(s)", fields.length);
  for (const field of fields) console.log(field.toUpperCase());
  console.log(JSON.parse(body.slice(body.indexOf("json=") + 5) || "null"));
});
