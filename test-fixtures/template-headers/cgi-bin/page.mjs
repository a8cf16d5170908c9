#!/usr/bin/env node
// The whole response, header block included, in one template literal.
const {
  REQUEST_METHOD: method = "GET",
  PATH_INFO: path = "/",
  QUERY_STRING: query = "",
} = process.env;
const lang = new URLSearchParams(query).get("lang") === "fr" ? "fr" : "en";
const title = lang === "fr" ? "Bonjour" : "Hello";

console.log(`Content-Type: text/html; charset=utf-8
Content-Language: ${lang}
X-Path: ${path}

<!doctype html>
<html lang="${lang}"><title>${title}</title><p>${method} ${path}</p></html>`);
