#!/usr/bin/env node
// Plain .js CommonJS in a commonjs package: var, require, callbacks, string concatenation.
var url = require("url");
var util = require("util");

var parsed = url.parse("?" + (process.env.QUERY_STRING || ""), true);
var a = parseFloat(parsed.query.a);
var b = parseFloat(parsed.query.b);
var op = parsed.query.op || "add";
var ops = {
  add: function (x, y) {
    return x + y;
  },
  mul: function (x, y) {
    return x * y;
  },
};

if (isNaN(a) || isNaN(b) || !ops[op]) {
  process.stdout.write(
    "Status: 400 Bad Request\nContent-Type: text/plain\n\nusage: ?a=1&b=2&op=add|mul\n",
  );
} else {
  process.stdout.write("Content-Type: text/plain\n\n");
  process.stdout.write(util.format("%d %s %d = %d\n", a, op, b, ops[op](a, b)));
}
