#!/usr/bin/env -S node --import tsx
// A class-based handler in TypeScript, with a private header list and console output.
type Header = [string, string];

class PageHandler {
  private readonly headers: Header[] = [["Content-Type", "text/html; charset=utf-8"]];
  private status = "200 OK";

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  handle(): string {
    const page = this.env.PATH_INFO?.replace(/^\//, "") || "index";
    if (!/^[a-z]+$/.test(page)) {
      this.status = "404 Not Found";
      return "<h1>Not found</h1>";
    }
    this.headers.push(["X-Page", page]);
    return `<h1>${page}</h1>`;
  }

  send(body: string): void {
    console.log(`Status: ${this.status}`);
    for (const [name, value] of this.headers) console.log(`${name}: ${value}`);
    console.log();
    console.log(body);
  }
}

const handler = new PageHandler(process.env);
handler.send(handler.handle());
