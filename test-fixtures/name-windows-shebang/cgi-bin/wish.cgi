#!C:/Program Files/nodejs/node.exe
// wish.cgi, written on Windows for IIS: CRLF line endings and a Windows shebang.
var method = process.env.REQUEST_METHOD;
process.stdout.write("Content-Type: text/plain\r\n");
process.stdout.write("X-Served-By: wishlist\r\n\r\n");
if (method === "GET") {
  process.stdout.write("Wishes: " + (process.env.QUERY_STRING || "none") + "\r\n");
} else {
  process.stdout.write("Only GET here\r\n");
}
