import { startNginxSnippet } from "./frames.js";
import { describeScaleOut } from "./scale.js";
import { snippet } from "./snippets.js";

// nginx notices a stopped host on the first refused connection and retries elsewhere.
describeScaleOut(
  "one nginx upstream",
  (hosts) => startNginxSnippet(snippet("scale-nginx", hosts)),
  0,
);
