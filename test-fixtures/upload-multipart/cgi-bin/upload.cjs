#!/usr/bin/env node
// Accepts a multipart/form-data upload and reports each part's name, file name, size and sha1.
var crypto = require("crypto");

var type = process.env.CONTENT_TYPE || "";
var m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);

function fail(status, message) {
  process.stdout.write("Status: " + status + "\nContent-Type: text/plain\n\n" + message + "\n");
}

function splitParts(body, boundary) {
  var delimiter = Buffer.from("--" + boundary);
  var parts = [];
  var start = body.indexOf(delimiter);
  while (start !== -1) {
    var next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    parts.push(body.subarray(start + delimiter.length + 2, next - 2));
    start = next;
  }
  return parts;
}

if (process.env.REQUEST_METHOD !== "POST" || !m) {
  fail("400 Bad Request", "send multipart/form-data");
} else {
  var chunks = [];
  process.stdin.on("data", function (c) {
    chunks.push(c);
  });
  process.stdin.on("end", function () {
    var lines = [];
    splitParts(Buffer.concat(chunks), m[1] || m[2]).forEach(function (part) {
      var split = part.indexOf("\r\n\r\n");
      var head = part.subarray(0, split).toString("latin1");
      var content = part.subarray(split + 4);
      var name = /name="([^"]*)"/.exec(head);
      var file = /filename="([^"]*)"/.exec(head);
      var hash = crypto.createHash("sha1").update(content).digest("hex");
      lines.push([name && name[1], file ? file[1] : "-", content.length, hash].join(" "));
    });
    console.log("Content-Type: text/plain\n");
    console.log(lines.join("\n"));
  });
}
