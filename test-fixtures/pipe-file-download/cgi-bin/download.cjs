#!/usr/bin/env node
// Streams a file to the client with pipe(), the way downloads were served.
var fs = require("fs");
var path = require("path");

var name = new URLSearchParams(process.env.QUERY_STRING).get("file") || "";
var file = path.join(__dirname, "..", "files", path.basename(name));

if (!name || !fs.existsSync(file)) {
  process.stdout.write("Status: 404 Not Found\nContent-Type: text/plain\n\nno such file\n");
} else {
  process.stdout.write("Content-Type: application/octet-stream\n");
  process.stdout.write(
    'Content-Disposition: attachment; filename="' + path.basename(name) + '"\n\n',
  );
  fs.createReadStream(file).pipe(process.stdout);
}
