#!/usr/bin/env node
// Wish list: every read and write of the request goes through the course's cgi.js.
var CGI = require("../lib/cgi.js");
var cgi = new CGI();

cgi.readBody(function (form) {
  if (cgi.method === "POST" && !form.item) cgi.fail("item is required");
  cgi.header("text/html; charset=utf-8");
  console.log("<h1>Wish list of " + (cgi.query.user || "guest") + "</h1>");
  if (form.item) console.log("<p>Added: " + form.item + "</p>");
});
