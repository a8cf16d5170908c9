// Pure formatting helpers: no CGI usage, so migrate must leave this file byte-identical.
function pad(value, width) {
  return String(value).padEnd(width, ".");
}

function line(label, value) {
  return pad(label, 10) + " " + value;
}

module.exports = { line };
