// Database spans only inside a request, for instrumentations that have no `requireParentSpan`
// option of their own (mysql2's has none; pg, redis, ioredis and knex have it). Outside any span
// (a pool's keep-alive, a migration at start-up, a cron job's warm-up) the query runs untraced,
// as it would with that option: a root span per background query is noise that sampling pays for.
import {
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  type Span,
  type SpanOptions,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { MySQL2Instrumentation } from "@opentelemetry/instrumentation-mysql2";

/**
 * `tracer`, whose startSpan hands back a non-recording span (no export, no child context worth
 * the name) when the context has no valid span. startActiveSpan is passed through unchanged: the
 * instrumentations this wraps only call startSpan.
 */
export function parentOnlyTracer(tracer: Tracer): Tracer {
  return {
    startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
      const parent = trace.getSpan(ctx);
      if (!parent || !isSpanContextValid(parent.spanContext())) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
      return tracer.startSpan(name, options, ctx);
    },
    startActiveSpan: tracer.startActiveSpan.bind(tracer) as Tracer["startActiveSpan"],
  };
}

// One wrapper per tracer the base hands out (it makes a new one when the provider changes). Kept
// outside the class: the base constructor may read `tracer` before a subclass field exists.
const wrappedTracers = new WeakMap<Tracer, Tracer>();

/** mysql2's instrumentation, tracing queries only inside a span (see above). */
export class ParentOnlyMySQL2Instrumentation extends MySQL2Instrumentation {
  protected override get tracer(): Tracer {
    const inner = super.tracer;
    let wrapped = wrappedTracers.get(inner);
    if (!wrapped) {
      wrapped = parentOnlyTracer(inner);
      wrappedTracers.set(inner, wrapped);
    }
    return wrapped;
  }
}
