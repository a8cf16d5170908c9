#!/usr/bin/env node
// Header lines printed one per console.log, a blank console.log(), then util.format output.
var items = [
  { name: "bolts", count: 120, price: 0.05 },
  { name: "nuts", count: 80, price: 0.04 },
  { name: "washers", count: 0, price: 0.01 },
];
var filter = new URLSearchParams(process.env.QUERY_STRING).get("instock");

console.log("Content-Type: text/plain; charset=utf-8");
console.log("X-Item-Count: %d", items.length);
console.log();
items
  .filter(function (item) {
    return filter === null || item.count > 0;
  })
  .forEach(function (item) {
    console.log(
      "%s: %d in stock at %s each (%j)",
      item.name,
      item.count,
      item.price.toFixed(2),
      item,
    );
  });
console.log(
  "total value: %i cents",
  items.reduce((sum, i) => sum + i.count * i.price * 100, 0),
);
console.log({ generated: "static", ok: true });
