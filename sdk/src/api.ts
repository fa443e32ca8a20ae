// `@greenlang/tracing/api`: what a library or a module of the service needs without starting
// tracing: `traced()` spans, the context and baggage helpers, log correlation and redaction of a
// string. It loads @opentelemetry/api and nothing of the SDK (the main entry also exports
// initTracing, whose import loads the whole SDK: about 700 ms of CPU). Spans made through it join
// whatever tracing the process runs, this distribution's preload or any other OpenTelemetry SDK,
// and cost nothing when none runs.
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
export { redactString } from "./redaction.ts";
export { type TracedOptions, traced } from "./traced.ts";
