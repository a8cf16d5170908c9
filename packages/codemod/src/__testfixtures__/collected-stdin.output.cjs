#!/usr/bin/env node
// A form read through stdin events and echoed: it migrates to a plain application that
// reads the whole body, then runs the listeners in the order the stream would emit.

const { format } = require("node:util");

exports.application = function application(environ, start_response) {
  const chunks = [];
  let started = false;
  try {
    var fields = [];

    var body = "";
    const onData = (chunk) => {
      body += chunk;
    };
    const onEnd = function () {
      new URLSearchParams(body).forEach((value, name) => fields.push(name + "=" + value));
      start_response("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
      started = true;
      chunks.push(format("%d field(s)", fields.length) + "\n");
      for (const field of fields) chunks.push(format(field.toUpperCase()) + "\n");
      chunks.push(format(JSON.parse(body.slice(body.indexOf("json=") + 5) || "null")) + "\n");
    };

    const input = environ["wsgi.input"].read().toString("utf8");
    if (input.length > 0) {
      onData(input);
    }
    onEnd();
  } catch (error) {
    if (!started) throw error;
    environ["wsgi.errors"].write(format(error) + "\n");
  }
  return chunks;
};
