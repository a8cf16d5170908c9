#!/usr/bin/env node
// Log viewer: ?follow=1 polls forever, the way `tail -f` does (the server's timeout ends it).
var fs = require("fs");

var follow = /(^|&)follow=1/.test(process.env.QUERY_STRING || "");
console.log("Content-Type: text/plain\n");
console.log("log viewer");
if (follow) {
  var seen = 0;
  for (;;) {
    var size = fs.statSync(__filename).size;
    if (size !== seen) console.log("size " + size);
    seen = size;
  }
}
console.log("add ?follow=1 to follow");
