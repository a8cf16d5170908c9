import { startHaproxySnippet } from "./fronts.js";
import { describeScaleOut } from "./scale.js";
import { snippet } from "./snippets.js";

// Two failed checks 2 s apart take a stopped host out.
describeScaleOut(
  "HAProxy with active health checks",
  (hosts) => startHaproxySnippet(snippet("scale-haproxy", hosts), "cgi2wsgi_pool"),
  5000,
);
