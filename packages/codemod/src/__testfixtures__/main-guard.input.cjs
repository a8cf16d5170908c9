#!/usr/bin/env node
// A runnable module: its helpers are exported, its page printed only when started directly.
function greet(name) {
  return "hello " + name;
}

module.exports = { greet };

if (require.main === module) {
  console.log("Content-Type: text/plain\n");
  console.log(greet(new URLSearchParams(process.env.QUERY_STRING).get("name") || "you"));
}
