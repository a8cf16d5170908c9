#!/usr/bin/env node
// Notes by name, read with fs.promises from a path built with path.join(".", ...).
const fs = require("fs");
const path = require("path");

const name = (new URLSearchParams(process.env.QUERY_STRING).get("n") || "index").replace(/\W/g, "");
const file = path.join(".", "data", name + ".txt");

fs.promises
  .readFile(file, "utf8")
  .then((text) => {
    process.stdout.write("Content-Type: text/plain\n\n" + text);
  })
  .catch(() => {
    process.stdout.write(
      "Status: 404 Not Found\nContent-Type: text/plain\n\nno note " + name + "\n",
    );
  });
