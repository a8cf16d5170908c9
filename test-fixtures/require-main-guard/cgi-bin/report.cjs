#!/usr/bin/env node
// The "runnable module" idiom: exports its work and runs it only when started directly.
function render(query) {
  var params = new URLSearchParams(query);
  return "report for " + (params.get("month") || "this month") + "\n";
}

function main() {
  process.stdout.write("Content-Type: text/plain\n\n");
  process.stdout.write(render(process.env.QUERY_STRING || ""));
}

module.exports = { render: render };

if (require.main === module) {
  main();
}
