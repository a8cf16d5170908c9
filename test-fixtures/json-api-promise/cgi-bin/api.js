#!/usr/bin/env node
// A small JSON API with a promise wrapper around stdin, written when promises were new.
"use strict";

function readBody() {
  return new Promise(function (resolve, reject) {
    var chunks = [];
    process.stdin.on("data", function (c) {
      chunks.push(c);
    });
    process.stdin.on("end", function () {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    process.stdin.on("error", reject);
  });
}

function send(status, payload) {
  process.stdout.write("Status: " + status + "\r\n");
  process.stdout.write("Content-Type: application/json\r\n\r\n");
  process.stdout.write(JSON.stringify(payload));
}

if (process.env.REQUEST_METHOD !== "POST") {
  send("405 Method Not Allowed", { error: "use POST" });
} else {
  readBody()
    .then(function (text) {
      var input = JSON.parse(text);
      var numbers = Array.isArray(input.numbers) ? input.numbers : [];
      var sum = numbers.reduce(function (a, b) {
        return a + b;
      }, 0);
      send("200 OK", { count: numbers.length, sum: sum });
    })
    .catch(function (err) {
      send("400 Bad Request", { error: err.message });
    });
}
