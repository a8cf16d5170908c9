export type {
  Application,
  Body,
  Chunk,
  Environ,
  Headers,
  ResponseSink,
  StartResponse,
  Write,
  WsgiErrors,
  WsgiInput,
} from "./types.js";
export { buildEnviron, headersToMeta } from "./core/environ.js";
export type { CgiMeta, EnvironOptions } from "./core/environ.js";
export { REQUIRED_CGI_KEYS, TYPED_CGI_KEYS, WSGI_KEYS } from "./core/environ-keys.js";
export { RequestTooLargeError, ResponseContractError } from "./core/errors.js";
export { createErrorStream } from "./core/errors-stream.js";
export { errorPage } from "./core/error-page.js";
export type { GatewayResponse } from "./core/error-page.js";
export { formatCgiHead, validateResponseHead } from "./core/headers.js";
export { BodyCollector, DEFAULT_MAX_BODY, inputFromBuffer } from "./core/input.js";
export type { BodyLimits } from "./core/input.js";
export { ClientGoneError, runApplication } from "./core/respond.js";
export type { RequestObserver, RunOptions } from "./core/respond.js";
export { runCgi } from "./cgi/gateway.js";
export type { CgiOptions } from "./cgi/gateway.js";
export { httpRequestMeta, PathOutsideMountError } from "./http/meta.js";
export type { HttpRequestFacts } from "./http/meta.js";
export { createHttpServer, httpRequestHandler, normalizeMount } from "./http/server.js";
export type { HttpServerOptions } from "./http/server.js";
export { httpResponseSink } from "./http/sink.js";
export { request } from "./test-client/request.js";
export type { TestRequest, TestResponse } from "./test-client/request.js";
export { CgiOutputError, CgiParserStateError } from "./cgi-output/errors.js";
export type { CgiOutputProblem } from "./cgi-output/errors.js";
export { CgiHeaderParser } from "./cgi-output/header-parser.js";
export type { CgiParseOptions, CgiResponse, CgiTextResponse } from "./cgi-output/header-parser.js";
export { parseCgiResponse } from "./cgi-output/parse.js";
export { createShadow } from "./shadow/shadow.js";
export type {
  Shadow,
  ShadowCounters,
  ShadowOptions,
  ShadowServe,
  SkipReason,
} from "./shadow/shadow.js";
export { compareAnswers, IGNORED_HEADERS } from "./shadow/compare.js";
export type { Answer, AnswerDifference } from "./shadow/compare.js";
export { mountDirectory } from "./mount/directory.js";
export type { MountedDirectory, MountOptions } from "./mount/directory.js";
export {
  loadApplication,
  looksLikeApplication,
  ModuleLoadError,
  NoApplicationError,
} from "./mount/load.js";
export { urlMap } from "./mount/url-map.js";
export { mountedEntries, prefersPlainText, renderIndex } from "./mount/index-page.js";
export type { IndexEntry, IndexPage } from "./mount/index-page.js";
export { withIndex } from "./mount/with-index.js";
export { validator } from "./validator/validator.js";
export type { ValidatorOptions } from "./validator/validator.js";
export { ContractViolationError } from "./validator/errors.js";
export type { ContractViolation } from "./validator/errors.js";
export { CONTRACT_RULES } from "./validator/rules.js";
export type { ContractRule, Party } from "./validator/rules.js";
export { scgi } from "./scgi/protocol.js";
export { handleScgiConnection } from "./scgi/handler.js";
export type { ScgiOptions } from "./scgi/handler.js";
export { ScgiParser } from "./scgi/parser.js";
export type { ScgiParserEvents, ScgiParserOptions } from "./scgi/parser.js";
export { encodeScgiRequest } from "./scgi/encode.js";
export { ScgiHeadersTooLargeError, ScgiProtocolError, ScgiTruncatedError } from "./scgi/errors.js";
export { ajp13 } from "./ajp13/protocol.js";
export { handleAjpConnection } from "./ajp13/handler.js";
export type { AjpOptions } from "./ajp13/handler.js";
export { AjpPacketTooLargeError, AjpProtocolError } from "./ajp13/errors.js";
export type { AjpAttributes, AjpForwardRequest } from "./ajp13/forward-request.js";
export {
  decodeContainerPacket,
  encodeBodyPacket,
  encodeForwardRequest,
  encodeServerCode,
} from "./ajp13/peer.js";
export type { ContainerPacket } from "./ajp13/peer.js";
export { cgiEnv } from "./cgi-script/env.js";
export { cgiProcess } from "./cgi-script/cgi-process.js";
export { cgiPath } from "./cgi-script/paths.js";
export { cgiRead } from "./cgi-script/fd-read.js";
export { freshRequire } from "./cgi-script/fresh-require.js";
export { requestConsole, requestProcess } from "./cgi-script/request-process.js";
export type { CgiIo, CgiProcessBody, CgiProcessOptions } from "./cgi-script/cgi-process.js";
export { httpProtocol } from "./http/protocol.js";
export { fastcgi, webServerAddrs } from "./fastcgi/protocol.js";
export type { ErrorsTarget, FastCgiOptions } from "./fastcgi/protocol.js";
export { FastCgiProtocolError } from "./fastcgi/errors.js";
export { RecordParser } from "./fastcgi/record-parser.js";
export type { RecordListener } from "./fastcgi/record-parser.js";
export { encodeRecord } from "./fastcgi/record-encoder.js";
export { decodeParams, encodeParams } from "./fastcgi/name-value.js";
export { ProtocolStatus, RecordType, Role } from "./fastcgi/constants.js";
export { serve } from "./server/serve.js";
export type { ServeOptions as ServeProcessOptions } from "./server/serve.js";
export { superviseWorkers } from "./server/workers.js";
export type { SuperviseOptions, Supervisor } from "./server/workers.js";
export { attach, NoListenAddressError, startServer } from "./server/start.js";
export type { RunningServer, StartOptions } from "./server/start.js";
export {
  formatListenAddress,
  inheritedAddress,
  isListeningSocket,
  ListenAddressError,
  parseListenAddress,
} from "./server/address.js";
export type { ListenAddress } from "./server/address.js";
export { AddressInUseError, listen, removeStaleSocket } from "./server/listen.js";
export type { ListenOptions } from "./server/listen.js";
export { ConcurrencyLimiter } from "./server/limiter.js";
export { accessLogLine } from "./server/access-log.js";
export type { AccessLogFormat } from "./server/access-log.js";
export type { OperatorOptions } from "./server/operator.js";
export { ServerStats, mergeSnapshots, quantile } from "./server/stats.js";
export type { StatsSnapshot } from "./server/stats.js";
export { prometheusText, statusJson } from "./server/status-page.js";
export { withStatusEndpoints } from "./server/status-app.js";
export type { StatusEndpoints } from "./server/status-app.js";
export { dropPrivileges, PrivilegesError } from "./server/privileges.js";
export { guardProcess } from "./server/crash-guard.js";
export type {
  ConnectionControl,
  Protocol,
  RefusalObserver,
  ServerContext,
} from "./server/types.js";
export { detect, run } from "./run/run.js";
export type { Detected, RunOptions as RunGatewayOptions, RunProtocol } from "./run/run.js";
export { protocolByName, SOCKET_PROTOCOLS, UnknownProtocolError } from "./run/serve.js";
export { cgiHost, legacyScript } from "./cgi-host/host.js";
export type { CgiHostOptions } from "./cgi-host/host.js";
export { mixedDirectory } from "./cgi-host/mixed.js";
export type { MixedDirectoryOptions } from "./cgi-host/mixed.js";
export { DEFAULT_PASS_ENV } from "./cgi-host/environment.js";
export {
  CgiHostError,
  HostOverloadedError,
  ScriptFailedError,
  ScriptForbiddenError,
  ScriptNotFoundError,
  ScriptTimeoutError,
} from "./cgi-host/errors.js";
