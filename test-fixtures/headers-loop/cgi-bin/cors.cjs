#!/usr/bin/env node
// Headers built in a loop from an object: CORS and security headers for an API.
var headers = {
  "Content-Type": "application/json",
  "Access-Control-Allow-Origin": process.env.HTTP_ORIGIN || "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
  "X-Content-Type-Options": "nosniff",
};
var status = "200 OK";
var body = JSON.stringify({ method: process.env.REQUEST_METHOD });

if (process.env.REQUEST_METHOD === "OPTIONS") {
  status = "204 No Content";
  body = "";
  delete headers["Content-Type"];
  headers["Access-Control-Max-Age"] = "600";
}

var out = "Status: " + status + "\r\n";
for (var name in headers) {
  out += name + ": " + headers[name] + "\r\n";
}
process.stdout.write(out + "\r\n" + body);
