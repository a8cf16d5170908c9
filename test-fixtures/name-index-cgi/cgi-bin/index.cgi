#!/usr/bin/env node
// Homework 3: echo the query string back as a table. Saved as index.cgi, as the lab said.
var url = require('url');

var q = url.parse('?' + (process.env.QUERY_STRING || ''), true).query;
var rows = '';
for (var k in q) {
  rows += '<tr><td>' + k + '</td><td>' + q[k] + '</td></tr>\n';
}
console.log('Content-type: text/html');
console.log('');
console.log('<html><body><h1>Echo</h1>');
console.log('<p>Method: ' + process.env.REQUEST_METHOD + '</p>');
console.log('<table>\n' + rows + '</table></body></html>');
