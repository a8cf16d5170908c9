// Shared helper: reads the CGI environment when called, not when loaded.
function clientInfo() {
  return {
    ip: process.env.REMOTE_ADDR || "unknown",
    agent: process.env.HTTP_USER_AGENT || "unknown",
    secure: process.env.HTTPS === "on",
  };
}

function isAjax() {
  return process.env.HTTP_X_REQUESTED_WITH === "XMLHttpRequest";
}

module.exports = { clientInfo, isAjax };
