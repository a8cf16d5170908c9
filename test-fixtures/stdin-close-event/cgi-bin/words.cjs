#!/usr/bin/env node
// Waits for stdin's 'close' rather than 'end' before answering.
var text = "";
process.stdin.on("data", function (c) {
  text += c;
});
process.stdin.on("close", function () {
  var words = text.split(/\s+/).filter(Boolean);
  console.log("Content-Type: application/json\n");
  console.log(JSON.stringify({ words: words.length, first: words[0] || null }));
});
