import { createServer } from "node:http";

// Usage: node-http.ts /path.sock — node's own http module with the same hello world.
createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("Hello, world!\n");
}).listen(process.argv[2], () => process.stdout.write("listening\n"));
