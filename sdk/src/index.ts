// Public API of @greenlang/tracing. Everything exported here is documented in sdk/README.md and
// covered by semantic versioning; nothing else is.

// What needs no SDK (traced, context and baggage helpers, log correlation, redaction) has its
// home in the light entry, ./api.ts; the main entry re-exports all of it.
export * from "./api.ts";
export {
  ConfigError,
  DEFAULT_IGNORE_PATHS,
  INSTRUMENTATION_NAMES,
  type InstrumentationName,
  type OtlpProtocol,
  type SamplingRule,
  type TracingOptions,
} from "./config.ts";
export {
  expressTracing,
  fastifyTracing,
  httpTracing,
  type MiddlewareOptions,
  type RequestIdentity,
} from "./middleware.ts";
export { getTracingHandle, initTracing, type TracingHandle, type TracingStats } from "./setup.ts";
