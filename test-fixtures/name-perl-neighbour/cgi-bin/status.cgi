#!/usr/bin/env node
// status.cgi beside a Perl status page: only this one is a Node script.
console.log("Status: 200 OK");
console.log("Content-Type: text/plain");
console.log("");
console.log("node status: " + (process.env.SERVER_PROTOCOL || "unknown"));
