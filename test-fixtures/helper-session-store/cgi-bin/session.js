#!/usr/bin/env node
// Homework 5: sessions by cookie, kept by a helper module.
var store = require("../lib/sessions.js");

var cookie = process.env.HTTP_COOKIE || "";
var match = /sid=(\w+)/.exec(cookie);
var session = store.get(match ? match[1] : "anonymous");

console.log("Content-Type: text/plain");
console.log("Set-Cookie: sid=" + session.id);
console.log("");
console.log("visits: " + session.visits + ", sessions: " + store.count());
