#!/usr/bin/env node
// nph-download.js: a non-parsed-header script that speaks HTTP itself, length and all.
var name = (process.env.QUERY_STRING || "").replace(/[^a-z]/g, "") || "readme";
var body = "file " + name + "\r\n" + "served by nph\r\n";

if (name === "secret") {
  process.stdout.write("HTTP/1.0 403 Forbidden\r\n");
  process.stdout.write("Content-Type: text/plain\r\n");
  process.stdout.write("Content-Length: 10\r\n\r\n");
  process.stdout.write("forbidden\n");
} else {
  process.stdout.write(process.env.SERVER_PROTOCOL + " 200 OK\r\n");
  process.stdout.write("Server: hand-rolled\r\n");
  process.stdout.write("Content-Type: text/plain\r\n");
  process.stdout.write("Content-Length: " + Buffer.byteLength(body) + "\r\n");
  process.stdout.write("Connection: close\r\n\r\n");
  process.stdout.write(body);
}
