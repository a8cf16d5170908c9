import { MANAGEMENT_REQUEST_ID, RecordType } from "./constants.js";
import { decodeParams, encodeParams } from "./name-value.js";
import { encodeRecord, encodeUnknownType } from "./record-encoder.js";

/**
 * The answer to a management record (request id 0) or a record of a type this server does
 * not know: GET_VALUES_RESULT with the values asked for that the server knows, or
 * UNKNOWN_TYPE.
 *
 * @example
 * socket.write(managementReply(RecordType.GetValues, content, { FCGI_MPXS_CONNS: "1" }));
 */
export function managementReply(
  type: number,
  content: Buffer,
  values: Readonly<Record<string, string>>,
): Buffer {
  if (type !== RecordType.GetValues) return encodeUnknownType(type);
  const asked = decodeParams(content);
  const known: Array<[string, string]> = [];
  for (const name of Object.keys(asked)) {
    const value = values[name];
    if (value !== undefined) known.push([name, value]);
  }
  return encodeRecord(RecordType.GetValuesResult, MANAGEMENT_REQUEST_ID, encodeParams(known));
}
