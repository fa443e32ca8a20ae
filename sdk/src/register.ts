// The preload for `node --import @greenlang/tracing/register app.mjs` (ESM or CJS apps). ESM
// modules can only be instrumented through a loader hook, and `--import` of a hook module alone
// registers nothing: so this registers import-in-the-middle's hook with module.register(), in the
// mode that intercepts only the modules an instrumentation asked for, starts tracing from the
// environment, and waits until the loader has seen every hook before the application's first
// import runs. Worker threads share the main thread's hooks and start nothing themselves.
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";
import { createAddHookMessageChannel } from "import-in-the-middle";
import { getTracingHandle, startFromEnvironment } from "./setup.ts";

if (isMainThread && getTracingHandle() === undefined) {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);
  startFromEnvironment();
  await waitForAllMessagesAcknowledged();
}
