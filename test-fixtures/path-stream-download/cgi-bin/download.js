#!/usr/bin/env node
// File manager download: streams a file from ./files with its size in the headers.
var fs = require("fs");
var path = require("path");

var name = path.basename(decodeURIComponent((process.env.QUERY_STRING || "").replace(/^f=/, "")));
var target = "files/" + name;
fs.stat(target, function (err, info) {
  if (err || !info.isFile()) {
    process.stdout.write("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nmissing\r\n");
    return;
  }
  process.stdout.write("Content-Type: application/octet-stream\r\n");
  process.stdout.write("Content-Length: " + info.size + "\r\n");
  process.stdout.write('Content-Disposition: attachment; filename="' + name + '"\r\n\r\n');
  fs.createReadStream(target).pipe(process.stdout);
});
