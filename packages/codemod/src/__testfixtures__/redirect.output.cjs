#!/usr/bin/env node
// A bare Location: the CGI server answers 302.

exports.application = function application(environ, start_response) {
  start_response("302 Found", [["Location", "https://example.org/new"]]);

  return [];
};
