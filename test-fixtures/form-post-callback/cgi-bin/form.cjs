#!/usr/bin/env node
// Guestbook form: GET shows it, POST echoes the entry back. Callback style, as in 2014.
var querystring = require("querystring");

function page(body) {
  console.log("Content-Type: text/html\n");
  console.log("<!doctype html><title>Guestbook</title>" + body);
}

if (process.env.REQUEST_METHOD === "POST") {
  var data = "";
  process.stdin.on("data", function (chunk) {
    data += chunk;
  });
  process.stdin.on("end", function () {
    var form = querystring.parse(data);
    if (!form.name) {
      console.log("Status: 422 Unprocessable Entity");
      page("<p>Please give your name.</p>");
      return;
    }
    page("<p>Thanks, " + form.name + "! You said: " + (form.message || "(nothing)") + "</p>");
  });
} else {
  page('<form method="post"><input name="name"><textarea name="message"></textarea></form>');
}
