#!/usr/bin/env node
// process.env handed whole to a template function and spread into a new object.
function page(env) {
  return "<p>" + env.REQUEST_METHOD + " " + (env.PATH_INFO || "/") + "</p>\n";
}

var ctx = Object.assign({}, process.env, { TITLE: "Home" });
var copy = { ...process.env };
console.log("Content-Type: text/html\n");
console.log(page(process.env) + "<h1>" + ctx.TITLE + "</h1>");
console.log("<p>" + (copy.QUERY_STRING || "no query") + "</p>");
