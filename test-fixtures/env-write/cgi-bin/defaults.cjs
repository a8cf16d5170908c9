#!/usr/bin/env node
// Writes defaults into process.env and reads them back later, as config loaders did.
if (!process.env.APP_MODE) process.env.APP_MODE = "production";
process.env.APP_VISITOR = new URLSearchParams(process.env.QUERY_STRING).get("who") || "guest";

function render() {
  return "mode=" + process.env.APP_MODE + " visitor=" + process.env.APP_VISITOR + "\n";
}

process.stdout.write("Content-Type: text/plain\n\n" + render());
