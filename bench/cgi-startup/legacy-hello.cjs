#!/usr/bin/env node
// The legacy CGI script the start-up benchmark compares against.
console.log("Content-Type: text/plain\n");
console.log("Hello, world!");
