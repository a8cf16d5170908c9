#!/usr/bin/env node
// The page moved; tell clients for good, keeping the query string.
const qs = process.env.QUERY_STRING;
const target = "https://new.example.org/page" + (qs ? "?" + qs : "");
process.stdout.write("Status: 301 Moved Permanently\n");
process.stdout.write("Location: " + target + "\n");
process.stdout.write("Content-Type: text/html\n\n");
process.stdout.write('<p>Moved to <a href="' + target + '">' + target + "</a></p>\n");
