#!/usr/bin/env node
const fs = require("fs");
const { parse } = require("querystring");

const length = parseInt(process.env.CONTENT_LENGTH || "0", 10);
const raw = length > 0 ? fs.readFileSync(0, "utf8") : "";
const form = parse(raw);

process.stdout.write("Content-Type: text/plain\n");
if (!form.email || !/^[^@\s]+@[^@\s]+$/.test(form.email)) {
  process.stdout.write("Status: 400 Bad Request\n\n");
  process.stdout.write("invalid email\n");
} else {
  process.stdout.write("\n");
  process.stdout.write(`subscribed ${form.email} to ${form.list || "news"}\n`);
}
