#!/usr/bin/env node
// Counts visits in a cookie and sets two cookies on every answer.
function parseCookies(header) {
  var out = {};
  (header || "").split(";").forEach(function (part) {
    var eq = part.indexOf("=");
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  });
  return out;
}

var cookies = parseCookies(process.env.HTTP_COOKIE);
var visits = (parseInt(cookies.visits, 10) || 0) + 1;

console.log("Content-Type: text/plain");
console.log("Set-Cookie: visits=" + visits + "; Path=/; HttpOnly");
console.log("Set-Cookie: last=" + encodeURIComponent("seen before") + "; Path=/");
console.log("Cache-Control: no-store");
console.log("");
console.log(visits === 1 ? "Welcome!" : "Visit number " + visits);
