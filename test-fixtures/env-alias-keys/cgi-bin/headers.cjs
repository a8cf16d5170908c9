#!/usr/bin/env node
// Dumps the request headers by scanning an alias of process.env, a classic debug script.
var env = process.env;
var names = Object.keys(env)
  .filter(function (k) {
    return k.indexOf("HTTP_") === 0;
  })
  .sort();

console.log("Content-Type: text/plain\n");
names.forEach(function (k) {
  var header = k.slice(5).toLowerCase().replace(/_/g, "-");
  console.log(header + ": " + env[k]);
});
console.log("method: " + env["REQUEST_METHOD"]);
console.log("has cookie: " + ("HTTP_COOKIE" in env));
