#!/usr/bin/env node
// card.jsx: named for the editor's highlighting, but plain JavaScript with no JSX in it.
const who = new URLSearchParams(process.env.QUERY_STRING).get("who") || "friend";
const html = `<div class="card"><p>Happy birthday, ${who}!</p></div>`;
console.log("Content-Type: text/html; charset=utf-8\n");
console.log(html);
