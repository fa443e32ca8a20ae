// Whether a span context is valid, as the API's trace.isSpanContextValid says (which tests the
// trace and span ids against regular expressions), remembering the last one it found valid. A
// span's start asks it of the parent's context twice, in the tracer (lean-tracer.ts) and then in
// the sampler, and the spans of one request ask it of the same parent: a span context is not
// changed once made, so one found valid stays valid.
import { type SpanContext, trace } from "@opentelemetry/api";

let lastValid: SpanContext | undefined;

export function isValidSpanContext(spanContext: SpanContext): boolean {
  if (spanContext === lastValid) return true;
  if (!trace.isSpanContextValid(spanContext)) return false;
  lastValid = spanContext;
  return true;
}
