// Log correlation: every log line written inside a traced request carries the ids Grafana needs
// to jump from the log to the trace (`trace_id`, `span_id`, `trace_flags`, the field names of the
// OpenTelemetry log data model). `pinoMixin` plugs into pino's `mixin` option; `logFields` serves
// any other logger.
import { currentTraceIds } from "./context.ts";

export interface LogTraceFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
}

/** The trace fields for the active span, or an empty object outside any trace. */
export function logFields(): LogTraceFields {
  const ids = currentTraceIds();
  return ids ? { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: ids.traceFlags } : {};
}

/** `pino({ mixin: pinoMixin })`: pino merges the returned fields into every log record. */
export function pinoMixin(): LogTraceFields {
  return logFields();
}
