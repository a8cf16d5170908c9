#!/usr/bin/env node
// The body read in a readSync loop on descriptor 0, as scripts ported from C did.
var fs = require("fs");
const { format } = require("node:util");

exports.application = function application(environ, start_response) {
  var chunks = [];
  var buffer = Buffer.alloc(4);
  var n;
  while ((n = environ["wsgi.input"].read(buffer.length).copy(buffer, 0)) > 0) {
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  var body = Buffer.concat(chunks).toString("utf8");

  start_response("200 OK", [["Content-Type", "text/plain"]]);

  return [format("read %d chunks: %s", chunks.length, body.toUpperCase()) + "\n"];
};
