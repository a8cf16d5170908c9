#!/usr/bin/env node
// printenv.js: the first script everyone writes on a new host.
console.log("Content-Type: text/plain\n");
console.log(process.env);
