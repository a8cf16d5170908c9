#!/usr/bin/env node
// Price list: the helper holds constants only, so nothing about it can differ per request.
const site = require("../lib/site.js");

const item = new URLSearchParams(process.env.QUERY_STRING || "").get("item");
const rows = site.ITEMS.map((name) => `<li>${name}: ${site.price(name)}</li>`).join("");
process.stdout.write("Content-Type: text/html\n\n");
process.stdout.write(
  site.page("prices", item ? `<p>${item}: ${site.price(item)}</p>` : `<ul>${rows}</ul>`),
);
