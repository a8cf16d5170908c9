#!/usr/bin/env node
// Nested callbacks (the "pyramid"): three fake async lookups, then the page.
function getUser(id, cb) {
  setTimeout(function () {
    if (id === "0") return cb(new Error("no such user"));
    cb(null, { id: id, name: "user" + id });
  }, 3);
}
function getPosts(user, cb) {
  setImmediate(function () {
    cb(null, [user.name + "-post-1", user.name + "-post-2"]);
  });
}
function getComments(posts, cb) {
  process.nextTick(function () {
    cb(null, posts.length * 3);
  });
}

var id = new URLSearchParams(process.env.QUERY_STRING).get("id") || "1";
getUser(id, function (err, user) {
  if (err) {
    console.log("Status: 404 Not Found\nContent-Type: text/plain\n\n" + err.message);
    return;
  }
  getPosts(user, function (err, posts) {
    getComments(posts, function (err, count) {
      console.log("Content-Type: text/plain\n");
      console.log(user.name + ": " + posts.join(", ") + " (" + count + " comments)");
    });
  });
});
