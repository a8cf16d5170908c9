#!/usr/bin/env node
// Constructs migrate cannot prove equivalent: each is rewritten as far as safe and marked.
var fs = require("fs");
var path = require("path");
// TODO(cgi2wsgi): child processes now get the request's meta-variables on top of the server's environment (under CGI they saw the CGI environment only): check the spawn/exec calls below pass env, and that the server's variables do no harm.
var execSync = require("child_process").execSync;
// TODO(cgi2wsgi): ./lib/helpers.cjs could not be read to check it: if it reads process.env or writes to process.stdout, it now sees the server's process, not this request.
var helpers = require("./lib/helpers.cjs");
const { cgiEnv, cgiProcess } = require("@cgi2wsgi/runtime");

exports.application = function application(environ, start_response) {
  return cgiProcess(environ, start_response, ({ console, setExitCode }) => {
    const env = cgiEnv(environ);

    // TODO(cgi2wsgi): process.on('SIGTERM', ...) installs a handler on the whole server, once per request: move it out of the application or drop it.
    process.on("SIGTERM", function () {
      console.error("stopping");
    });
    var root = __dirname;
    var motd = fs.readFileSync(__dirname + "/motd.txt", "utf8");
    var revision = execSync("git rev-parse HEAD", { env: { ...process.env, ...cgiEnv(environ) } })
      .toString()
      .trim();

    console.log("Content-Type: text/plain\n");
    // TODO(cgi2wsgi): APP_STAGE is not a CGI meta-variable: under CGI it came from the web server's configuration; it is now read from the request environ, so make sure the front server passes it (or read it once from the server's process.env).
    console.log(path.basename(root), motd.length, revision.length, helpers.NAME, env.APP_STAGE);
    if (!motd) setExitCode(1);
  });
};
