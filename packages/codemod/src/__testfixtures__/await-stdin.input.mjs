#!/usr/bin/env node
// Top-level for await over stdin, then a promise chain.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const body = Buffer.concat(chunks);

const checksum = await new Promise((resolve) => setTimeout(() => resolve(body.length * 7), 2));
console.log("Content-Type: text/plain\n");
console.log(`bytes=${body.length} checksum=${checksum}`);
