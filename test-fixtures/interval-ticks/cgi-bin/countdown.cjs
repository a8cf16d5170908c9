#!/usr/bin/env node
// A countdown written from setInterval; the response ends when the interval is cleared.
var from = Math.min(Number(new URLSearchParams(process.env.QUERY_STRING).get("from") || 3), 10);
console.log("Content-Type: text/plain\n");
var timer = setInterval(function () {
  console.log(from);
  if (from-- === 0) {
    clearInterval(timer);
    console.log("liftoff");
  }
}, 5);
