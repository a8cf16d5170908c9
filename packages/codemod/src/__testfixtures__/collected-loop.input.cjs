#!/usr/bin/env node
// A synchronous listing whose body is printed from a loop and a branch: it migrates to a
// plain application collecting its chunks. An unknown item throws after the page began.
const items = { a: "apple", b: "banana" };
const wanted = new URLSearchParams(process.env.QUERY_STRING || "").getAll("item");

console.log("Content-Type: text/html; charset=utf-8");
console.log("");
console.log("<ul>");
for (const key of wanted) {
  if (key === "none") continue;
  console.log("<li>%s</li>", items[key].toUpperCase());
}
[1, 2].forEach((n) => {
  process.stdout.write(`<!-- ${n} -->\n`);
});
console.log("</ul>");
