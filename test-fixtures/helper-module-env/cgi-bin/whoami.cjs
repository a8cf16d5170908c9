#!/usr/bin/env node
var info = require("../lib/request-info.cjs");
var format = require("../lib/format.cjs");

var client = info.clientInfo();
console.log("Content-Type: text/plain\n");
console.log(format.line("ip", client.ip));
console.log(format.line("agent", client.agent));
console.log(format.line("ajax", info.isAjax() ? "yes" : "no"));
