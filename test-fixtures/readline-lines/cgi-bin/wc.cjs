#!/usr/bin/env node
// Counts lines and words of an uploaded text, line by line with readline.
const readline = require("readline");

let lines = 0;
let words = 0;
let longest = "";
const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  lines += 1;
  const w = line.split(/\s+/).filter(Boolean);
  words += w.length;
  if (line.length > longest.length) longest = line;
});
rl.on("close", () => {
  console.log("Content-Type: text/plain\n");
  console.log(`lines: ${lines}`);
  console.log(`words: ${words}`);
  console.log(`longest: ${longest}`);
});
