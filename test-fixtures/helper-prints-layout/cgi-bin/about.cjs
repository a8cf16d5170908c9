#!/usr/bin/env node
var layout = require("../lib/layout.cjs");

layout.header("About");
console.log("<p>We migrate CGI scripts.</p>");
layout.footer();
