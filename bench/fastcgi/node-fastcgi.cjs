// Usage: node node-fastcgi.cjs /path.sock — the node-fastcgi package, installed into
// bench/.work by run.ts, with the same hello world.
const fcgi = require(process.env.NODE_FASTCGI_PATH);
const server = fcgi.createServer((_req, res) => {
  res.writeHead(200, { "Content-Type": "text/plain" });
  res.end("Hello, world!\n");
});
server.listen(process.argv[2], () => process.stdout.write("listening\n"));
