#!/usr/bin/env node
// Throws before printing anything on ?crash: the server answers 500 and logs the stack.
var params = new URLSearchParams(process.env.QUERY_STRING);
var config = params.has("crash") ? undefined : { title: "Report" };

console.error("rendering report for " + (params.get("user") || "nobody"));
var title = config.title;
console.log("Content-Type: text/plain\n");
console.log(title);
