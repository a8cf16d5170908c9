#!/usr/bin/env node
// Ignores the body but waits for it to end (resume + 'end'), then answers with its length.
var length = Number(process.env.CONTENT_LENGTH || 0);
process.stdin.resume();
process.stdin.once("end", function () {
  console.log("Content-Type: text/plain\n");
  console.log("drained " + length + " bytes");
});
