#!/usr/bin/env node
// Every way legacy scripts read and wrote the environment.

const { cgiEnv } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  const requestEnv = cgiEnv(environ);
  const { REQUEST_METHOD: method = "GET", QUERY_STRING: query = "" } = requestEnv;
  var env = requestEnv;

  function header(name) {
    return requestEnv["HTTP_" + name.toUpperCase().replace(/-/g, "_")];
  }

  requestEnv.VISITS = String(Number(requestEnv.HTTP_X_VISITS || 0) + 1);
  var headers = Object.keys(env).filter((k) => k.startsWith("HTTP_")).length;

  start_response("200 OK", [["Content-Type", "text/plain"]]);

  return [`${method} ${query} ${header("accept") || "-"} ${headers} ${env.VISITS}\n`];
};
