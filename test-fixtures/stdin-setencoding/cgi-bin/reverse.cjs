#!/usr/bin/env node
// setEncoding('utf8') on stdin, then string chunks: reverses the text, characters intact.
process.stdin.setEncoding("utf8");
var text = "";
process.stdin.on("data", function (chunk) {
  text += chunk;
});
process.stdin.on("end", function () {
  console.log("Content-Type: text/plain; charset=utf-8");
  console.log("");
  console.log(Array.from(text.trim()).reverse().join(""));
});
