// A tiny CGI library, the kind every course handed out: parses the request, prints headers.
var querystring = require("querystring");

function CGI() {
  this.method = process.env.REQUEST_METHOD || "GET";
  this.query = querystring.parse(process.env.QUERY_STRING || "");
  this.headersSent = false;
}

CGI.prototype.header = function (type, status) {
  if (status) process.stdout.write("Status: " + status + "\r\n");
  process.stdout.write("Content-Type: " + (type || "text/html") + "\r\n\r\n");
  this.headersSent = true;
};

CGI.prototype.readBody = function (callback) {
  if (this.method !== "POST") return callback({});
  var chunks = [];
  process.stdin.on("data", function (c) {
    chunks.push(c);
  });
  process.stdin.on("end", function () {
    callback(querystring.parse(Buffer.concat(chunks).toString()));
  });
};

CGI.prototype.fail = function (message) {
  console.log("Status: 400 Bad Request\nContent-Type: text/plain\n");
  console.log(message);
  process.exit(1);
};

module.exports = CGI;
