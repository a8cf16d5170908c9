#!/usr/bin/env node
// A synchronous listing whose body is printed from a loop and a branch: it migrates to a
// plain application collecting its chunks. An unknown item throws after the page began.

const { format } = require("node:util");

exports.application = function application(environ, start_response) {
  const chunks = [];
  let started = false;
  try {
    const items = { a: "apple", b: "banana" };
    const wanted = new URLSearchParams(environ.QUERY_STRING || "").getAll("item");

    start_response("200 OK", [["Content-Type", "text/html; charset=utf-8"]]);
    started = true;
    chunks.push("<ul>\n");
    for (const key of wanted) {
      if (key === "none") continue;
      chunks.push(format("<li>%s</li>", items[key].toUpperCase()) + "\n");
    }
    [1, 2].forEach((n) => {
      chunks.push(`<!-- ${n} -->\n`);
    });
    chunks.push("</ul>\n");
  } catch (error) {
    if (!started) throw error;
    environ["wsgi.errors"].write(format(error) + "\n");
  }
  return chunks;
};
