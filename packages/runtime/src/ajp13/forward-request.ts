import {
  Attribute,
  CODED_HEADER,
  METHOD_STORED,
  METHODS,
  REQUEST_HEADERS,
  ServerCode,
} from "./constants.js";
import { PayloadReader } from "./payload.js";

/** What FORWARD_REQUEST's attributes carry, by name. Strings are latin1-decoded. */
export interface AjpAttributes {
  context?: string;
  servletPath?: string;
  remoteUser?: string;
  authType?: string;
  queryString?: string;
  route?: string;
  sslCert?: string;
  sslCipher?: string;
  sslSession?: string;
  sslKeySize?: number;
  secret?: string;
  /** `req_attribute` pairs such as AJP_REMOTE_PORT, AJP_LOCAL_ADDR and `AJP_*` variables. */
  requestAttributes: Array<[string, string]>;
}

/** A decoded FORWARD_REQUEST packet. */
export interface AjpForwardRequest {
  method: string;
  protocol: string;
  /** The request path as the web server forwards it, without the query string. */
  uri: string;
  remoteAddr: string;
  remoteHost?: string;
  serverName: string;
  serverPort: number;
  isSsl: boolean;
  /** Request headers in order, coded names expanded to their usual spelling. */
  headers: Array<[string, string]>;
  attributes: AjpAttributes;
}

const STRING_ATTRIBUTES = new Map<number, keyof AjpAttributes>([
  [Attribute.Context, "context"],
  [Attribute.ServletPath, "servletPath"],
  [Attribute.RemoteUser, "remoteUser"],
  [Attribute.AuthType, "authType"],
  [Attribute.QueryString, "queryString"],
  [Attribute.Route, "route"],
  [Attribute.SslCert, "sslCert"],
  [Attribute.SslCipher, "sslCipher"],
  [Attribute.SslSession, "sslSession"],
  [Attribute.Secret, "secret"],
]);

/**
 * Decodes the payload of a FORWARD_REQUEST packet (prefix code 2): the method, protocol,
 * URI, peer and server, coded or named headers, then attributes up to the 0xFF terminator.
 *
 * @example
 * const framer = new AjpFramer((payload) => {
 *   if (payload[0] === 2) console.log(decodeForwardRequest(payload).uri);
 * });
 */
export function decodeForwardRequest(payload: Buffer): AjpForwardRequest {
  const reader: PayloadReader = new PayloadReader(payload);
  if (reader.byte() !== ServerCode.ForwardRequest) {
    reader.fail("ERR_AJP_UNEXPECTED_PACKET", "expected a FORWARD_REQUEST (code 2)", 0);
  }
  const methodAt = 1;
  const methodCode = reader.byte();
  const request: AjpForwardRequest = {
    method: "",
    protocol: required(reader, "protocol"),
    uri: required(reader, "req_uri"),
    remoteAddr: reader.string() ?? "",
    remoteHost: reader.string(),
    serverName: reader.string() ?? "",
    serverPort: reader.int(),
    isSsl: reader.bool(),
    headers: readHeaders(reader),
    attributes: { requestAttributes: [] },
  };
  const stored = readAttributes(reader, request.attributes);
  if (methodCode === METHOD_STORED) {
    if (stored === undefined) {
      reader.fail("ERR_AJP_BAD_METHOD", "method 0xFF needs a stored_method attribute", methodAt);
    }
    request.method = stored;
  } else {
    const method = METHODS[methodCode - 1];
    if (method === undefined) reader.fail("ERR_AJP_BAD_METHOD", "unknown method code", methodAt);
    request.method = method;
  }
  return request;
}

function required(reader: PayloadReader, field: string): string {
  const value = reader.string();
  if (value === undefined) reader.fail("ERR_AJP_BAD_STRING", `${field} must not be null`);
  return value;
}

function readHeaders(reader: PayloadReader): Array<[string, string]> {
  const count = reader.int();
  const headers: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    let name: string;
    const at = reader.offset;
    if (reader.peekInt() >> 8 === CODED_HEADER) {
      const known = REQUEST_HEADERS[(reader.int() & 0xff) - 1];
      if (known === undefined) reader.fail("ERR_AJP_BAD_HEADER", "unknown header code", at);
      name = known;
    } else {
      name = required(reader, "a header name");
    }
    headers.push([name, reader.string() ?? ""]);
  }
  return headers;
}

/** Fills `into` and returns the stored method, if any. */
function readAttributes(reader: PayloadReader, into: AjpAttributes): string | undefined {
  let stored: string | undefined;
  for (;;) {
    const at = reader.offset;
    const code = reader.byte();
    if (code === Attribute.Terminator) return stored;
    const key = STRING_ATTRIBUTES.get(code);
    if (key !== undefined) {
      (into as unknown as Record<string, string | undefined>)[key] = reader.string();
    } else if (code === Attribute.ReqAttribute) {
      const name = required(reader, "a req_attribute name");
      into.requestAttributes.push([name, reader.string() ?? ""]);
    } else if (code === Attribute.SslKeySize) {
      into.sslKeySize = reader.int();
    } else if (code === Attribute.StoredMethod) {
      stored = required(reader, "stored_method");
    } else {
      reader.fail("ERR_AJP_BAD_ATTRIBUTE", `unknown attribute code 0x${code.toString(16)}`, at);
    }
  }
}
