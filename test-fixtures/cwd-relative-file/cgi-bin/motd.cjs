#!/usr/bin/env node
// Reads a file relative to the working directory, which CGI servers set to the script's folder.
var fs = require("fs");

var text = fs.readFileSync("motd.txt", "utf8");
console.log("Content-Type: text/plain\n");
console.log(text.trim());
