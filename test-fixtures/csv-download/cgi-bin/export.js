#!/usr/bin/env node
// CSV download with Content-Disposition; ESM .js in a "type": "module" tree.
import { format } from "node:util";

const params = new URLSearchParams(process.env.QUERY_STRING);
const year = params.get("year") ?? "2024";
const months = ["Jan", "Feb", "Mar"];

console.log("Content-Type: text/csv");
console.log(`Content-Disposition: attachment; filename="sales-${year}.csv"`);
console.log("");
console.log("month,units");
months.forEach((m, i) => console.log(format("%s,%d", m, (Number(year) % 7) * (i + 3))));
