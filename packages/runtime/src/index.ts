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
