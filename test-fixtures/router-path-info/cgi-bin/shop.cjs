#!/usr/bin/env node
// A hand-rolled router on PATH_INFO: /, /products, /products/:id, everything else 404.
var products = {
  1: { name: "Teapot", price: 18 },
  2: { name: "Cup", price: 4.5 },
};

function respond(status, type, body) {
  process.stdout.write("Status: " + status + "\n");
  process.stdout.write("Content-Type: " + type + "\n\n");
  process.stdout.write(body);
}

var path = process.env.PATH_INFO || "/";
var match;

if (path === "/" || path === "") {
  respond("200 OK", "text/html", '<a href="products">products</a>\n');
} else if (path === "/products") {
  var list = Object.keys(products).map(function (id) {
    return id + ": " + products[id].name;
  });
  respond("200 OK", "text/plain", list.join("\n") + "\n");
} else if ((match = /^\/products\/(\d+)$/.exec(path))) {
  var product = products[match[1]];
  if (product) respond("200 OK", "application/json", JSON.stringify(product));
  else respond("404 Not Found", "text/plain", "no product " + match[1] + "\n");
} else {
  respond("404 Not Found", "text/plain", "no route for " + path + "\n");
}
