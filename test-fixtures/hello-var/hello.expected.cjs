#!/usr/bin/env node
// Greets the visitor named in the query string, the way it was done in 2012.
var querystring = require("querystring");

exports.application = function application(environ, start_response) {
  var params = querystring.parse(environ.QUERY_STRING || "");
  var name = params.name || "world";

  function escapeHtml(s) {
    return String(s)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
  }

  start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);

  return [
    "<html><body>\n",
    "<h1>Hello, " + escapeHtml(name) + "!</h1>\n",
    "</body></html>\n",
  ];
};
