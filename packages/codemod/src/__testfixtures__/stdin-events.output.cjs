#!/usr/bin/env node
// The body through stdin events, as text.
var querystring = require("querystring");
const { cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ stdin, console }) => {
    stdin.setEncoding("utf8");
    var data = "";
    stdin.on("data", function (chunk) {
      data += chunk;
    });
    stdin.on("end", function () {
      var form = querystring.parse(data);
      if (!form.name) {
        console.log("Status: 422 Unprocessable Entity\nContent-Type: text/plain\n");
        console.log("name is required");
        return;
      }
      console.log("Content-Type: text/plain\n");
      console.log("thanks, %s", form.name);
    });
  });
};
