// The distribution's own name and version, recorded as `telemetry.distro.*` resource attributes
// and as the instrumentation scope of the metrics it emits. Kept in step with package.json by
// sdk/test/version.test.ts.
export const SDK_NAME = "@greenlang/tracing";
export const SDK_VERSION = "0.1.0";
