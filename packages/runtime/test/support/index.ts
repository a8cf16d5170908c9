// The front-server test harness, in one import for protocol tests.
export { startAjpEcho } from "./ajp-echo.js";
export type { AjpEcho } from "./ajp-echo.js";
export { startApache } from "./apache.js";
export type { ApacheMode, ApacheOptions } from "./apache.js";
export {
  apacheBackendUrl,
  apacheConfig,
  apachePreamble,
  APACHE_MODULES_DIR,
} from "./apache-config.js";
export type { ApachePreambleOptions } from "./apache-config.js";
export { runCgiFcgi } from "./cgi-fcgi.js";
export type { CgiFcgiRequest, CgiFcgiResult } from "./cgi-fcgi.js";
export { CGI_SCRIPTS, parseEnvDump, PERL_READ_BODY, RESPONSE_SCRIPTS } from "./cgi-scripts.js";
export { groupExists, startProcess } from "./child.js";
export type { ManagedProcess } from "./child.js";
export { listenPeer } from "./echo-peer.js";
export type { EchoPeer } from "./echo-peer.js";
export { startFcgiwrap } from "./fcgiwrap.js";
export { FrontServerStartError, launchFrontServer } from "./front-server.js";
export type { FrontServer, LaunchSpec } from "./front-server.js";
export { startLighttpd, writeBinPath } from "./lighttpd.js";
export type { LighttpdMode, LighttpdOptions } from "./lighttpd.js";
export { lighttpdBinPath, lighttpdConfig } from "./lighttpd-config.js";
export type { LighttpdBinPath } from "./lighttpd-config.js";
export { accepts, freePort, listenPort, NotListeningError, waitForListening } from "./net-wait.js";
export type { Address } from "./net-wait.js";
export { startNginx, startNginxCgi } from "./nginx.js";
export type { NginxCgiOptions, NginxOptions, NginxUpstream } from "./nginx.js";
export { nginxAddress, nginxConfig, nginxMainConfig } from "./nginx-config.js";
export { startScgiEcho } from "./scgi-echo.js";
export type { ScgiEcho } from "./scgi-echo.js";
export { makeScriptDir } from "./script-dir.js";
export { programForAll, serverPath, sharedNode } from "./shared-node.js";
export { runnableByAll, searchableByAll } from "./reach.js";
export { makeTempDir, putFile, removeTempDir } from "./temp-dir.js";
export { rawRequest } from "./raw-request.js";
export type { RawRequestOptions, RawResponse } from "./raw-request.js";
export { CHUNKED_WITH_PROXY } from "./raw-request.js";
export { connectionsTo, listenerInGroup, waitForOwnership } from "./proc-net.js";
