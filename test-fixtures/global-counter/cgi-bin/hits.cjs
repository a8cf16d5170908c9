#!/usr/bin/env node
// State on the global object: under CGI it is always 1, since every request is a new process.
global.hits = (global.hits || 0) + 1;
globalThis.lastQuery = process.env.QUERY_STRING || "(none)";
console.log("Content-Type: text/plain\n");
console.log("hits=" + global.hits + " last=" + globalThis.lastQuery);
