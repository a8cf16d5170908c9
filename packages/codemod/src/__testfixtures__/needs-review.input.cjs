#!/usr/bin/env node
// Constructs migrate cannot prove equivalent: each is rewritten as far as safe and marked.
var fs = require("fs");
var path = require("path");
var execSync = require("child_process").execSync;
var helpers = require("./lib/helpers.cjs");

process.on("SIGTERM", function () {
  console.error("stopping");
});
var root = process.cwd();
var motd = fs.readFileSync("motd.txt", "utf8");
var revision = execSync("git rev-parse HEAD").toString().trim();

console.log("Content-Type: text/plain\n");
console.log(path.basename(root), motd.length, revision.length, helpers.NAME, process.env.APP_STAGE);
if (!motd) process.exitCode = 1;
