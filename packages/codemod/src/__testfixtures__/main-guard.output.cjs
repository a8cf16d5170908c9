#!/usr/bin/env node
// A runnable module: its helpers are exported, its page printed only when started directly.

const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console }) => {
    function greet(name) {
      return "hello " + name;
    }

    // TODO(cgi2wsgi): this script also exports for other modules; those exports are now set only when a request runs: move what they need into a module of its own.
    module.exports = { greet };

    console.log("Content-Type: text/plain\n");
    console.log(greet(new URLSearchParams(environ.QUERY_STRING).get("name") || "you"));
  });
};
