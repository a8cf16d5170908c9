#!/usr/bin/env node
// env.cgi: an HTML table of every variable, sorted, from the hosting FAQ.
var names = [];
for (var name in process.env) names.push(name);
names.sort();
var out = "Content-Type: text/html\n\n<table>\n";
names.forEach(function (n) {
  out += "<tr><th>" + n + "</th><td>" + process.env[n] + "</td></tr>\n";
});
process.stdout.write(out + "</table>\n");
