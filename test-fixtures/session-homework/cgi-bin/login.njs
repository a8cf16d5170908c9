#!/usr/bin/env node
// CS 290 homework: a login form with a cookie, parsed by hand.
var qs = require("querystring");

function cookies() {
  var out = {};
  (process.env.HTTP_COOKIE || "").split(/;\s*/).forEach(function (pair) {
    var i = pair.indexOf("=");
    if (i > 0) out[pair.slice(0, i)] = decodeURIComponent(pair.slice(i + 1));
  });
  return out;
}

var data = "";
process.stdin.on("data", function (d) {
  data += d;
});
process.stdin.on("end", function () {
  var user = cookies().user;
  if (process.env.REQUEST_METHOD === "POST") {
    var form = qs.parse(data);
    if (form.user) {
      console.log("Status: 303 See Other");
      console.log("Set-Cookie: user=" + encodeURIComponent(form.user) + "; Path=/");
      console.log("Location: /cgi-bin/login.njs\n");
      return;
    }
  }
  console.log("Content-Type: text/html\n");
  console.log(
    user ? "<p>Welcome back, " + user + "</p>" : '<form method="post"><input name="user"></form>',
  );
});
