// Reads the request once, when first imported: fine under CGI, where every request is a new process.
export const method = process.env.REQUEST_METHOD ?? "GET";
export const query = new URLSearchParams(process.env.QUERY_STRING ?? "");
