// In-memory sessions: fine when every request is a new process, a leak across users when not.
var sessions = {};
var created = 0;

function get(id) {
  if (!sessions[id]) {
    created++;
    sessions[id] = { id: id, visits: 0 };
  }
  sessions[id].visits++;
  return sessions[id];
}

function count() {
  return created;
}

module.exports = { get: get, count: count };
