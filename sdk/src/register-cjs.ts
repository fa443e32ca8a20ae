// The preload for `node --require @greenlang/tracing/register app.cjs`. CommonJS modules are
// instrumented by require hooks, which the instrumentations install themselves when tracing
// starts, so starting from the environment is all there is to do. The SDK is required only when
// tracing is on (a static import would load it for a disabled service too), and synchronously,
// so the hooks are in place before the application's first require.
import { isMainThread } from "node:worker_threads";
import { disabledByEnvironment } from "./disabled.ts";

if (isMainThread && !disabledByEnvironment(process.env)) {
  const setup = require("./setup.js") as typeof import("./setup.ts");
  if (setup.getTracingHandle() === undefined) setup.startFromEnvironment();
}
