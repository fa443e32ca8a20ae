// The preload for `node --import @greenlang/tracing/register app.mjs` (ESM or CJS apps). ESM
// modules can only be instrumented through a loader hook, and `--import` of a hook module alone
// registers nothing: so this registers import-in-the-middle's hook with module.register(), in the
// mode that intercepts only the modules an instrumentation asked for, starts tracing from the
// environment, and waits until the loader has seen every hook before the application's first
// import runs. Worker threads share the main thread's hooks and start nothing themselves. With
// OTEL_SDK_DISABLED=true nothing of the SDK is even loaded.
import { isMainThread } from "node:worker_threads";
import { disabledByEnvironment } from "./disabled.ts";

if (isMainThread && !disabledByEnvironment(process.env)) {
  const [{ register }, { createAddHookMessageChannel }, { getTracingHandle, startFromEnvironment }] = await Promise.all(
    [import("node:module"), import("import-in-the-middle"), import("./setup.ts")],
  );
  if (getTracingHandle() === undefined) {
    const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
    register("import-in-the-middle/hook.mjs", import.meta.url, registerOptions);
    startFromEnvironment();
    await waitForAllMessagesAcknowledged();
  }
}
