// An id generator with module-level state: under CGI it restarts with every request.
let last = 100;
const issued = [];

function nextId(prefix) {
  last += 1;
  issued.push(last);
  return prefix + "-" + last;
}

module.exports = { nextId, issuedCount: () => issued.length };
