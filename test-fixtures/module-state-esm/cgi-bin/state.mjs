#!/usr/bin/env node
// ES module state: a Map cache and a let counter must not leak between requests.
const seen = new Map();
let counter = 0;

for (const word of (process.env.QUERY_STRING || "").split("&").filter(Boolean)) {
  counter += 1;
  seen.set(word, (seen.get(word) ?? 0) + 1);
}

console.log("Content-Type: text/plain\n");
console.log(`words: ${counter}, distinct: ${seen.size}`);
for (const [word, n] of seen) console.log(`${word} x${n}`);
