#!/usr/bin/env node
// Multibyte text in the body and a header value built from the query.
const greetings = { en: "Hello", de: "Grüß Gott", ja: "こんにちは", ar: "مرحبا" };
const lang = new URLSearchParams(process.env.QUERY_STRING).get("lang") ?? "en";
const text = greetings[lang] ?? greetings.en;

process.stdout.write(
  `Content-Type: text/plain; charset=utf-8\nContent-Language: ${lang in greetings ? lang : "en"}\n\n`,
);
process.stdout.write(`${text} 👋\n`);
