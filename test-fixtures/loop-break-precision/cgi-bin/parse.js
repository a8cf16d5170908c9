#!/usr/bin/env node
// Reads the body in a while (true) loop that breaks at the end: nothing endless here.
var fs = require("fs");

var chunks = [];
var buf = Buffer.alloc(4);
while (true) {
  var n = fs.readSync(0, buf, 0, buf.length);
  if (n === 0) break;
  chunks.push(Buffer.from(buf.subarray(0, n)));
}
var words = Buffer.concat(chunks).toString().split(/\s+/).filter(Boolean);
console.log("Content-Type: text/plain\n");
console.log(words.length + " words");
