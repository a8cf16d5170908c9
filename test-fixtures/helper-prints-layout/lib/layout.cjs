// Shared page layout: prints the CGI header and the page frame itself.
function header(title) {
  console.log("Content-Type: text/html; charset=utf-8\n");
  console.log("<!doctype html><title>" + title + "</title><body>");
}

function footer() {
  console.log("</body>");
}

module.exports = { header, footer };
