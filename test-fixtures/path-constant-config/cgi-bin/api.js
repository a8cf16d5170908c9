#!/usr/bin/env node
// A JSON API over a file: the file name is a constant, used further down.
var fs = require("fs");
var CONFIG = "./config.json";

var config = JSON.parse(fs.readFileSync(CONFIG, "utf8"));
var key = (process.env.QUERY_STRING || "").split("=")[1];
console.log("Content-Type: application/json\n");
if (key && !(key in config)) {
  console.log(JSON.stringify({ error: "no such key", key: key }));
} else {
  console.log(JSON.stringify(key ? { [key]: config[key] } : config));
}
