#!/usr/bin/env node
// Module-level state: under CGI every request starts with a fresh counter and cache.
var requests = 0;
var cache = [];
var config = { greeting: "hi" };

function remember(item) {
  cache.push(item);
  return cache.length;
}

requests++;
var size = remember(process.env.QUERY_STRING || "empty");
if (process.env.QUERY_STRING === "shout") config.greeting = config.greeting.toUpperCase();

console.log("Content-Type: text/plain\n");
console.log(
  config.greeting + " request #" + requests + ", cache size " + size + ": " + cache.join(","),
);
