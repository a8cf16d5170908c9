#!/usr/bin/env node
// Blog front page and single posts, through the posts.js helper.
const posts = require("../lib/posts.js");

const id = new URLSearchParams(process.env.QUERY_STRING).get("id");
process.stdout.write("Content-Type: text/html; charset=utf-8\n\n");
if (id) {
  const post = posts.byId(id);
  process.stdout.write(post ? `<h1>${post.title}</h1><p>${post.body}</p>` : "<p>not found</p>");
} else {
  process.stdout.write(
    "<ul>" +
      posts
        .all()
        .map((p) => `<li>${p.title}</li>`)
        .join("") +
      "</ul>",
  );
}
