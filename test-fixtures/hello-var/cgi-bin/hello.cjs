#!/usr/bin/env node
// Greets the visitor named in the query string, the way it was done in 2012.
var querystring = require("querystring");

var params = querystring.parse(process.env.QUERY_STRING || "");
var name = params.name || "world";

function escapeHtml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

console.log("Content-Type: text/html; charset=utf-8\n");
console.log("<html><body>");
console.log("<h1>Hello, " + escapeHtml(name) + "!</h1>");
console.log("</body></html>");
