/**
 * Numbers of the FastCGI 1.0 specification (section 8, "Types and constants").
 */

/** Bytes in a record header. */
export const HEADER_LENGTH = 8;
/** The only protocol version there is. */
export const VERSION_1 = 1;
/** The largest content a single record can carry (a 16-bit length). */
export const MAX_CONTENT_LENGTH = 0xffff;

/**
 * Record types.
 *
 * @example
 * if (header.type === RecordType.Params) decoder.push(content);
 */
export const RecordType = {
  BeginRequest: 1,
  AbortRequest: 2,
  EndRequest: 3,
  Params: 4,
  Stdin: 5,
  Stdout: 6,
  Stderr: 7,
  Data: 8,
  GetValues: 9,
  GetValuesResult: 10,
  UnknownType: 11,
} as const;

/**
 * Roles a BEGIN_REQUEST can ask for.
 *
 * @example
 * if (role === Role.Responder) startResponder();
 */
export const Role = {
  Responder: 1,
  Authorizer: 2,
  Filter: 3,
} as const;

/**
 * `protocolStatus` values of END_REQUEST.
 *
 * @example
 * encodeEndRequest(id, 0, ProtocolStatus.UnknownRole);
 */
export const ProtocolStatus = {
  RequestComplete: 0,
  CantMpxConn: 1,
  Overloaded: 2,
  UnknownRole: 3,
} as const;

/** The BEGIN_REQUEST flag that keeps the connection open after the request. */
export const FLAG_KEEP_CONN = 1;

/** Records with this request id are management records (GET_VALUES, UNKNOWN_TYPE). */
export const MANAGEMENT_REQUEST_ID = 0;
