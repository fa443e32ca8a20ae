// Public API of @greenlang/tracing. Everything exported here is documented in sdk/README.md and
// covered by semantic versioning; nothing else is.
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
  currentSpanId,
  currentTraceId,
  currentTraceIds,
  currentTraceparent,
  extractContext,
  getBaggageValue,
  injectContext,
  linksFromCarriers,
  linkTo,
  type MessageCarrier,
  runInContext,
  runWithBaggage,
  type TraceIds,
  withBaggageEntries,
} from "./context.ts";
export { type LogTraceFields, logFields, pinoMixin } from "./log-correlation.ts";
export {
  expressTracing,
  fastifyTracing,
  httpTracing,
  type MiddlewareOptions,
  type RequestIdentity,
} from "./middleware.ts";
export { redactString } from "./redaction.ts";
export { getTracingHandle, initTracing, type TracingHandle, type TracingStats } from "./setup.ts";
export { type TracedOptions, traced } from "./traced.ts";
