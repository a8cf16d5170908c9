#!/usr/bin/env node
// Reads a data file next to the script with fs.readFile and a callback.
var fs = require("fs");
var path = require("path");

var country = (new URLSearchParams(process.env.QUERY_STRING).get("country") || "").toUpperCase();
fs.readFile(path.join(__dirname, "..", "data", "cities.json"), "utf8", function (err, text) {
  if (err) {
    console.log("Status: 500 Internal Server Error\nContent-Type: text/plain\n\ndata missing");
    return;
  }
  var cities = JSON.parse(text).filter(function (c) {
    return !country || c.country === country;
  });
  console.log("Content-Type: application/json\n");
  console.log(JSON.stringify(cities));
});
