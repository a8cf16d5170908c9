#!/usr/bin/env node
// A page whose header block is printed from literals: it becomes a plain application.
var items = ["tea", "cake"];
var who = new URLSearchParams(process.env.QUERY_STRING).get("who") || "guest";

console.log("Content-Type: text/plain; charset=utf-8");
console.log("Cache-Control: no-store");
console.log();
console.log("Hello, " + who + "!");
console.log("%d items: %s", items.length, items.join(", "));
process.stdout.write(Buffer.from([0x2d, 0x2d, 0x0a]));
