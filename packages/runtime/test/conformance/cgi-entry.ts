// The conformance application as a CGI program; cgi-launcher.ts bundles this file.
import { runCgi } from "../../src/cgi/gateway.js";
import { application } from "./app.js";

void runCgi(application);
