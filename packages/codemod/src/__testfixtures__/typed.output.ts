#!/usr/bin/env -S node --import tsx
// TypeScript with types kept at module level and a typed body read.
import { readFileSync } from "node:fs";
import { cgiProcess, type Environ, type StartResponse } from "@cgi2wsgi/runtime";

interface Order {
  sku: string;
  quantity: number;
}

export function application(environ: Environ, start_response: StartResponse) {
  return cgiProcess(environ, start_response, ({ stdout }) => {
    function total(orders: Order[]): number {
      return orders.reduce((sum, o) => sum + o.quantity, 0);
    }

    const method: string = environ.REQUEST_METHOD ?? "GET";
    if (method === "POST") {
      const orders = JSON.parse(environ["wsgi.input"].read().toString("utf8")) as Order[];
      stdout.write(`Status: 201 Created\nContent-Type: text/plain\n\n${total(orders)}\n`);
    } else {
      stdout.write("Status: 405 Method Not Allowed\nAllow: POST\n\n");
    }
  });
}
