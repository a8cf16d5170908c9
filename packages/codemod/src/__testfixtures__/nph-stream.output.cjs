#!/usr/bin/env node
// An nph- script: it sends its own status line, then streams from a timer.

const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, { nph: true }, ({ stdout }) => {
    var steps = ["one", "two", "three"];
    stdout.write("HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n\r\n");
    var i = 0;
    var timer = setInterval(function () {
      stdout.write(steps[i++] + "\n");
      if (i === steps.length) clearInterval(timer);
    }, 2);
  });
};
