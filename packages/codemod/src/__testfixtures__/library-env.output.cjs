// A helper module that reads the environment when called: flagged, not wrapped.
function clientIp() {
  // TODO(cgi2wsgi): this module reads process.env when called: under the gateway that is the server's process, not the request. Take environ (or cgiEnv(environ)) as a parameter from the application instead.
  return process.env.REMOTE_ADDR || "unknown";
}

module.exports = { clientIp };
