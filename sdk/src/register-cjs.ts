// The preload for `node --require @greenlang/tracing/register app.cjs`. CommonJS modules are
// instrumented by require hooks, which the instrumentations install themselves when tracing
// starts, so starting from the environment is all there is to do.
import { isMainThread } from "node:worker_threads";
import { getTracingHandle, startFromEnvironment } from "./setup.ts";

if (isMainThread && getTracingHandle() === undefined) startFromEnvironment();
