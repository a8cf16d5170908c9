#!/usr/bin/env node
// Homework 2: echo the POST body, read with fs.read on descriptor 0, in two reads.
var fs = require("fs");

var size = parseInt(process.env.CONTENT_LENGTH || "0", 10);
var first = Buffer.alloc(8);
fs.read(0, first, 0, Math.min(8, size), null, function (err, n) {
  if (err) throw err;
  var rest = Buffer.alloc(Math.max(size - n, 0));
  fs.read(0, rest, 0, rest.length, null, function (err2, m) {
    if (err2) throw err2;
    var body = Buffer.concat([first.subarray(0, n), rest.subarray(0, m)]).toString();
    console.log("Content-Type: text/plain\n");
    console.log("first read " + n + ", second read " + m);
    console.log("you sent: " + body);
  });
});
