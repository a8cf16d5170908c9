#!/usr/bin/env node
// Shared-hosting file manager: lists ./uploads with sizes, CRLF headers as the old docs said.
var fs = require("fs");
var path = require("path");

var UPLOADS = "uploads";
var sort = (process.env.QUERY_STRING || "").indexOf("sort=size") >= 0 ? "size" : "name";
var entries = fs.readdirSync(UPLOADS).map(function (name) {
  return { name: name, size: fs.statSync(path.join(UPLOADS, name)).size };
});
entries.sort(function (a, b) {
  return sort === "size" ? a.size - b.size : a.name < b.name ? -1 : 1;
});
process.stdout.write("Content-Type: text/html\r\nCache-Control: no-store\r\n\r\n");
process.stdout.write("<table>");
entries.forEach(function (e) {
  process.stdout.write("<tr><td>" + e.name + "</td><td>" + e.size + "</td></tr>");
});
process.stdout.write("</table>\r\n");
