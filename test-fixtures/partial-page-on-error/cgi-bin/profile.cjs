#!/usr/bin/env node
// A profile page whose lookup throws for an unknown user after the page has begun: a CGI
// server sends the page up to there (status 200), the error goes to the server's log.
var users = { ada: { name: "Ada Lovelace" }, alan: { name: "Alan Turing" } };
var user = users[new URLSearchParams(process.env.QUERY_STRING).get("user")];

console.log("Content-Type: text/html; charset=utf-8\n");
console.log("<h1>Profile</h1>");
console.log("<p>" + user.name + "</p>");
console.log("<footer>end</footer>");
