// A helper module that reads the environment when called: its process becomes the request's.
const { requestProcess: process } = require("@cgi2wsgi/runtime");

function clientIp() {
  return process.env.REMOTE_ADDR || "unknown";
}

module.exports = { clientIp };
