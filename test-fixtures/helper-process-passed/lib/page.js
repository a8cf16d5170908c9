// A page object that is handed the process, as some tutorials did to keep helpers "pure".
function Page(proc) {
  this.proc = proc;
  this.parts = [];
}

Page.prototype.add = function (html) {
  this.parts.push(html);
  return this;
};

Page.prototype.send = function () {
  var q = this.proc.env.QUERY_STRING || "";
  this.proc.stdout.write("Content-Type: text/html\n\n");
  this.proc.stdout.write(this.parts.join("\n") + "\n<!-- " + q + " -->\n");
  if (q === "fail") this.proc.exit(2);
};

module.exports = Page;
