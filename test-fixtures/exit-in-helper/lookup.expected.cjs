#!/usr/bin/env node
// A helper that answers an error and exits: nothing after the call may run.

const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console, exit }) => {
    function die(status, message) {
      console.log("Status: " + status);
      console.log("Content-Type: text/plain\n");
      console.log(message);
      exit(0);
    }

    function requireParam(params, name) {
      var value = params.get(name);
      if (!value) die("400 Bad Request", "missing parameter: " + name);
      return value;
    }

    var params = new URLSearchParams(environ.QUERY_STRING || "");
    var id = requireParam(params, "id");
    if (!/^\d+$/.test(id))
      die("422 Unprocessable Entity", "id must be a number");

    console.log("Content-Type: text/plain\n");
    console.log("record " + id);
  });
};
