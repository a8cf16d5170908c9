#!/usr/bin/env node
// Short links: /go?to=docs redirects with a bare Location header (the server makes it a 302).

const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console }) => {
    var targets = { docs: "https://example.org/docs", home: "/" };
    var to = new URLSearchParams(environ.QUERY_STRING).get("to");

    if (targets[to]) {
      console.log("Location: " + targets[to]);
      console.log();
    } else {
      console.log("Content-Type: text/plain");
      console.log("Status: 404 Not Found");
      console.log();
      console.log("unknown link");
    }
  });
};
