/**
 * The numbers of AJP13 as Apache mod_proxy_ajp and mod_jk speak it.
 */

/** Packets from the web server start with these two bytes. */
export const SERVER_MAGIC = 0x1234;
/** Packets to the web server start with "AB". */
export const CONTAINER_MAGIC = 0x4142;
/** The packet size both ends assume unless configured otherwise (mod_proxy_ajp's default). */
export const DEFAULT_PACKET_SIZE = 8192;
/** The largest packet the 16-bit length field can describe, header included. */
export const MAX_PACKET_SIZE = 65536;
/** Magic and length. */
export const HEADER_SIZE = 4;
/** A string length meaning "null string" (no bytes and no terminator follow). */
export const NULL_STRING = 0xffff;

/** Prefix codes of packets from the web server. */
export const ServerCode = { ForwardRequest: 2, Shutdown: 7, Ping: 8, CPing: 10 } as const;

/** Prefix codes of packets to the web server. */
export const ContainerCode = {
  SendBodyChunk: 3,
  SendHeaders: 4,
  EndResponse: 5,
  GetBodyChunk: 6,
  CPong: 9,
} as const;

/** Method codes 1..27 of FORWARD_REQUEST, in order. */
export const METHODS = [
  "OPTIONS",
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "TRACE",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "ACL",
  "REPORT",
  "VERSION-CONTROL",
  "CHECKIN",
  "CHECKOUT",
  "UNCHECKOUT",
  "SEARCH",
  "MKWORKSPACE",
  "UPDATE",
  "LABEL",
  "MERGE",
  "BASELINE-CONTROL",
  "MKACTIVITY",
] as const;
/** The method is carried in the stored_method attribute instead. */
export const METHOD_STORED = 0xff;

/** Request header codes 0xA001..0xA00E, in order. */
export const REQUEST_HEADERS = [
  "Accept",
  "Accept-Charset",
  "Accept-Encoding",
  "Accept-Language",
  "Authorization",
  "Connection",
  "Content-Type",
  "Content-Length",
  "Cookie",
  "Cookie2",
  "Host",
  "Pragma",
  "Referer",
  "User-Agent",
] as const;

/** Response header codes 0xA001..0xA00B, in order. */
export const RESPONSE_HEADERS = [
  "Content-Type",
  "Content-Language",
  "Content-Length",
  "Date",
  "Last-Modified",
  "Location",
  "Set-Cookie",
  "Set-Cookie2",
  "Servlet-Engine",
  "Status",
  "WWW-Authenticate",
] as const;

/** A coded header name is an integer 0xA0nn. */
export const CODED_HEADER = 0xa0;

/** Attribute codes after the headers of FORWARD_REQUEST. */
export const Attribute = {
  Context: 0x01,
  ServletPath: 0x02,
  RemoteUser: 0x03,
  AuthType: 0x04,
  QueryString: 0x05,
  Route: 0x06,
  SslCert: 0x07,
  SslCipher: 0x08,
  SslSession: 0x09,
  ReqAttribute: 0x0a,
  SslKeySize: 0x0b,
  Secret: 0x0c,
  StoredMethod: 0x0d,
  Terminator: 0xff,
} as const;
