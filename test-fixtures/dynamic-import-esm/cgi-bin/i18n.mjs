#!/usr/bin/env node
// Loads the language pack chosen by the query with a dynamic import.
const lang = new URLSearchParams(process.env.QUERY_STRING).get("lang") === "fr" ? "fr" : "en";
const { messages } = await import(`../lib/${lang}.mjs`);

console.log("Content-Type: text/plain; charset=utf-8");
console.log(`Content-Language: ${lang}\n`);
console.log(`${messages.hello} / ${messages.bye}`);
