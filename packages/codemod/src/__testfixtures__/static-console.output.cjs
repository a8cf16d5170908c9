#!/usr/bin/env node
// A page whose header block is printed from literals: it becomes a plain application.

const { format } = require("node:util");

exports.application = function application(environ, start_response) {
  var items = ["tea", "cake"];
  var who = new URLSearchParams(environ.QUERY_STRING).get("who") || "guest";

  start_response("200 OK", [
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Cache-Control", "no-store"],
  ]);

  return [
    "Hello, " + who + "!\n",
    format("%d items: %s", items.length, items.join(", ")) + "\n",
    Buffer.from([0x2d, 0x2d, 0x0a]),
  ];
};
