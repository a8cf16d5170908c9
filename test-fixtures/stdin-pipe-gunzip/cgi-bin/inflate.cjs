#!/usr/bin/env node
// Accepts a gzip-compressed upload by piping stdin through zlib.
var zlib = require("zlib");

if ((process.env.HTTP_CONTENT_ENCODING || "") !== "gzip") {
  process.stdout.write(
    "Status: 415 Unsupported Media Type\nContent-Type: text/plain\n\nsend gzip\n",
  );
} else {
  var text = "";
  process.stdin
    .pipe(zlib.createGunzip())
    .on("data", function (chunk) {
      text += chunk;
    })
    .on("end", function () {
      process.stdout.write("Content-Type: text/plain\n\n");
      process.stdout.write("inflated " + text.length + " chars: " + text.slice(0, 20) + "\n");
    })
    .on("error", function (err) {
      process.stdout.write(
        "Status: 400 Bad Request\nContent-Type: text/plain\n\n" + err.code + "\n",
      );
    });
}
