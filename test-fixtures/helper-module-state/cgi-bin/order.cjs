#!/usr/bin/env node
const ids = require("../lib/ids.cjs");

const first = ids.nextId("ord");
const second = ids.nextId("line");
console.log("Content-Type: text/plain\n");
console.log(first + " " + second + " issued=" + ids.issuedCount());
