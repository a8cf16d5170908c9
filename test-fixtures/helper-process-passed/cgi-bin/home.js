#!/usr/bin/env node
// Home page built by a helper that receives the whole process object.
var Page = require("../lib/page.js");

new Page(process)
  .add("<h1>Home</h1>")
  .add("<p>method " + process.env.REQUEST_METHOD + "</p>")
  .send();
