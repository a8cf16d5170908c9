#!/usr/bin/env node
// JSON endpoint reading the body with for await, as in Node 12+ tutorials.

import { cgiProcess } from "@cgi2wsgi/runtime";

export function application(environ, start_response) {
  return cgiProcess(environ, start_response, async ({ stdin, stdout }) => {
    const chunks = [];
    for await (const chunk of stdin) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString("utf8");

    const reply = (status, value) => {
      stdout.write(
        `Status: ${status}\nContent-Type: application/json; charset=utf-8\n\n`,
      );
      stdout.write(JSON.stringify(value, null, 2) + "\n");
    };

    const method = environ.REQUEST_METHOD;
    if (method === "GET") {
      reply("200 OK", {
        todos: [{ id: 1, title: "migrate the CGI scripts", done: false }],
      });
    } else if (method === "POST") {
      let todo;
      try {
        todo = JSON.parse(text);
      } catch {
        todo = null;
      }
      if (!todo || typeof todo.title !== "string")
        reply("422 Unprocessable Entity", { error: "title required" });
      else
        reply("201 Created", {
          id: 2,
          title: todo.title,
          done: Boolean(todo.done),
        });
    } else {
      reply("405 Method Not Allowed", { error: `${method} not allowed` });
    }
  });
}
