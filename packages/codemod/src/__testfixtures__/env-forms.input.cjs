#!/usr/bin/env node
// Every way legacy scripts read and wrote the environment.
const { REQUEST_METHOD: method = "GET", QUERY_STRING: query = "" } = process.env;
var env = process.env;

function header(name) {
  return process.env["HTTP_" + name.toUpperCase().replace(/-/g, "_")];
}

process.env.VISITS = String(Number(process.env.HTTP_X_VISITS || 0) + 1);
var headers = Object.keys(env).filter((k) => k.startsWith("HTTP_")).length;

process.stdout.write("Content-Type: text/plain\n\n");
process.stdout.write(`${method} ${query} ${header("accept") || "-"} ${headers} ${env.VISITS}\n`);
