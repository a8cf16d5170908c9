// Blog storage: posts.json sits in the working directory, wherever the server started us.
const fs = require("fs");

const FILE = "posts.json";

function all() {
  return JSON.parse(fs.readFileSync(FILE, "utf8"));
}

function byId(id) {
  return all().find((p) => String(p.id) === String(id));
}

module.exports = { all, byId };
