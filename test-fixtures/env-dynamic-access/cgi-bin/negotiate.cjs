#!/usr/bin/env node
// Reads headers with computed keys: process.env["HTTP_" + name].
function header(name) {
  return process.env["HTTP_" + name.toUpperCase().replace(/-/g, "_")];
}

var accept = header("accept") || "*/*";
var wantsJson = accept.indexOf("application/json") !== -1;
var data = { method: process.env["REQUEST_METHOD"], agent: header("User-Agent") || null };

if (wantsJson) {
  process.stdout.write("Content-Type: application/json\n\n" + JSON.stringify(data));
} else {
  process.stdout.write("Content-Type: text/plain\n\n" + data.method + " by " + data.agent + "\n");
}
