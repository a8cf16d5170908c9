// A helper module that reads the environment when called: flagged, not wrapped.
function clientIp() {
  return process.env.REMOTE_ADDR || "unknown";
}

module.exports = { clientIp };
