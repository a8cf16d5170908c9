#!/usr/local/bin/node
// hello.js.cgi: the editor sees JavaScript, the server sees a .cgi handler.
var name = (process.env.QUERY_STRING || "").replace(/^name=/, "") || "world";
console.log("Content-Type: text/html");
console.log();
console.log("<h1>Hello, " + decodeURIComponent(name) + "!</h1>");
