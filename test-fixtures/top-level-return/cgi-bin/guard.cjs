#!/usr/bin/env node
// CommonJS allows return at the top level; old scripts used it as an early exit.
if (process.env.REQUEST_METHOD !== "GET" && process.env.REQUEST_METHOD !== "HEAD") {
  console.log("Status: 405 Method Not Allowed\nAllow: GET, HEAD\nContent-Type: text/plain\n");
  console.log("GET only");
  return;
}
console.log("Content-Type: text/plain\n");
console.log("fine");
