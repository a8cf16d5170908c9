#!/usr/bin/env node
// Post/Redirect/Get: a POST answers 303 See Other back to the page.
var fs = require("fs");
var querystring = require("querystring");

if (process.env.REQUEST_METHOD === "POST") {
  var form = querystring.parse(fs.readFileSync(0).toString());
  var id = (form.text || "").length;
  process.stdout.write("Status: 303 See Other\r\n");
  process.stdout.write("Location: " + process.env.SCRIPT_NAME + "?posted=" + id + "\r\n\r\n");
} else {
  var posted = querystring.parse(process.env.QUERY_STRING).posted;
  process.stdout.write("Content-Type: text/html\r\n\r\n");
  process.stdout.write(
    posted ? "<p>Comment " + posted + " saved.</p>" : "<form method=post></form>",
  );
}
