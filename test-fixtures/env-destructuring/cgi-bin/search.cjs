#!/usr/bin/env node
// Environment read through destructuring with renames and defaults.
const {
  REQUEST_METHOD: method = "GET",
  QUERY_STRING: query = "",
  HTTP_ACCEPT_LANGUAGE: languages = "en",
  SERVER_PROTOCOL,
} = process.env;

const params = new URLSearchParams(query);
const q = params.get("q") || "";
const tags = params.getAll("tag");
const language = languages.split(",")[0].split(";")[0];

process.stdout.write("Content-Type: text/plain; charset=utf-8\n\n");
process.stdout.write(`${method} ${SERVER_PROTOCOL} lang=${language}\n`);
process.stdout.write(`q=${JSON.stringify(q)} tags=${tags.join("|") || "-"}\n`);
