// Site settings and page helpers: requires, constants and functions only, nothing that lasts.
const path = require("path");

const SITE_NAME = "Corner Shop";
const DATA_DIR = path.join(__dirname, "..", "data");
const PRICES = { apple: 30, pear: 45 };
const ITEMS = ["apple", "pear"];

function price(item) {
  return PRICES[item] === undefined ? null : PRICES[item];
}

function page(title, body) {
  return `<!doctype html><title>${SITE_NAME}: ${title}</title>${body}`;
}

module.exports = { SITE_NAME, DATA_DIR, ITEMS, price, page };
