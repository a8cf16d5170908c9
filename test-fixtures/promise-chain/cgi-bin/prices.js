#!/usr/bin/env node
// Looks prices up through a promise chain; headers go out only when the data is ready.
const catalog = { tea: 3.2, coffee: 2.8, cocoa: 3.9 };

const lookup = (name) =>
  new Promise((resolve, reject) => {
    setTimeout(
      () => (name in catalog ? resolve(catalog[name]) : reject(new Error(`unknown item ${name}`))),
      5,
    );
  });

const names = (new URLSearchParams(process.env.QUERY_STRING).get("items") || "tea").split(",");

Promise.all(names.map(lookup))
  .then((prices) => {
    process.stdout.write("Content-Type: text/plain\n\n");
    names.forEach((n, i) => process.stdout.write(`${n}: ${prices[i].toFixed(2)}\n`));
    return new Promise((r) => setTimeout(r, 5));
  })
  .then(() => process.stdout.write("-- end of list\n"))
  .catch((err) => {
    process.stdout.write(
      "Status: 404 Not Found\nContent-Type: text/plain\n\n" + err.message + "\n",
    );
  });
