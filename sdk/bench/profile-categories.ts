// Which part of the request path a profiled stack belongs to. A sample (CPU time, or bytes of an
// allocation) is charged to the innermost frame of its stack that is not Node's own code: Node's
// internals (node:*, natives) do work on behalf of whoever called them, so the URL parser counts
// for the instrumentation that called `new URL()`, and gzip for the exporter. A stack with no such
// frame at all is Node serving the connection (or, for the synthetic nodes, GC and idle time).

export const CATEGORIES = [
  "instrumentation hooks",
  "context propagation",
  "attributes and semantic conventions",
  "span start and end (SDK)",
  "sampler and ids",
  "span processors (enrichment, redaction)",
  "metrics recording",
  "export (batch, encode, gzip, send)",
  "module hooks (import/require-in-the-middle)",
  "application and frameworks",
  "Node (HTTP server, sockets)",
  "socket writes (system calls)",
  "garbage collection",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Frame {
  url: string;
  functionName: string;
}

/** Node's own code: charged to the frame that called it. */
export function isNodeInternal(frame: Frame): boolean {
  return frame.url === "" || frame.url.startsWith("node:") || frame.url.startsWith("internal/");
}

// Functions of the upstream HTTP instrumentation's utils that build attributes (semantic
// conventions), as opposed to its hook plumbing in http.mjs.
const HTTP_INSTRUMENTATION_HOOKS = /\/instrumentation-http\/dist\/http\.[cm]?js$/;
const CONTEXT_FUNCTIONS =
  /^(with|bind|active|_bindEventEmitter|_bindFunction|_patchAddListener|_patchRemoveListener|_patchRemoveAllListeners|_createPatchMap|_getPatchMap|contextWrapper|extract|inject|getSpan|setSpan|getSpanContext|setValue|getValue|deleteValue|setRPCMetadata|getRPCMetadata|suppressTracing|isTracingSuppressed|getBaggage|setBaggage|getActiveBaggage|getEntry|getAllEntries|_getContextManager|BaseContext|wrapSpanContext|isSpanContextValid|isValidTraceId|isValidSpanId|parseTraceParent|NonRecordingSpan)$/;
const OURS = /\/sdk\/(dist\/(esm|cjs)|src)\/([a-z-]+)\.[jt]s$/;
const OUR_FILES: Record<string, Category> = {
  sampler: "sampler and ids",
  "id-generator": "sampler and ids",
  glob: "instrumentation hooks",
  instrumentations: "instrumentation hooks",
  "fastify-instrumentation": "instrumentation hooks",
  "lean-http": "instrumentation hooks",
  "context-manager": "context propagation",
  "http-attributes": "attributes and semantic conventions",
  enrichment: "span processors (enrichment, redaction)",
  redaction: "span processors (enrichment, redaction)",
  pipeline: "span processors (enrichment, redaction)",
  "span-metrics": "metrics recording",
  "drop-counter": "metrics recording",
  exporter: "export (batch, encode, gzip, send)",
  "otlp-encoder": "export (batch, encode, gzip, send)",
  retry: "export (batch, encode, gzip, send)",
  context: "context propagation",
};

/** The category of a frame outside Node's internals. */
export function categoryOf(frame: Frame): Category {
  const { url, functionName: fn } = frame;
  const ours = OURS.exec(url);
  if (ours) return OUR_FILES[ours[3] as string] ?? "instrumentation hooks";
  if (url.includes("/import-in-the-middle/") || url.includes("/require-in-the-middle/"))
    return "module hooks (import/require-in-the-middle)";
  if (url.includes("/context-async-hooks/") || url.includes("/propagator-")) return "context propagation";
  if (url.includes("/instrumentation-http/")) {
    if (/record|Duration|Histogram/.test(fn)) return "metrics recording";
    if (CONTEXT_FUNCTIONS.test(fn)) return "context propagation";
    return HTTP_INSTRUMENTATION_HOOKS.test(url) ? "instrumentation hooks" : "attributes and semantic conventions";
  }
  if (url.includes("/forwarded-parse/") || url.includes("/semantic-conventions/"))
    return "attributes and semantic conventions";
  if (url.includes("/sdk-metrics/")) return "metrics recording";
  if (/\/(otlp-transformer|otlp-exporter-base|exporter-trace-otlp-[a-z]+|protobufjs)\//.test(url))
    return "export (batch, encode, gzip, send)";
  if (url.includes("/sdk-trace/")) {
    if (
      /Batch|_flush|_export|_maybeStartTimer|_addToBuffer|_clearTimer|onEnd$/.test(fn) &&
      /batch|Batch/i.test(url + fn)
    )
      return "export (batch, encode, gzip, send)";
    if (/Sampler|shouldSample|generate(Trace|Span)Id/.test(fn)) return "sampler and ids";
    return "span start and end (SDK)";
  }
  if (url.includes("/@opentelemetry/api/") || url.includes("/@opentelemetry/core/")) {
    if (/Batch|export|serialize/i.test(fn)) return "export (batch, encode, gzip, send)";
    if (/startSpan|startActiveSpan|getTracer|_getTracer/.test(fn)) return "span start and end (SDK)";
    if (/record|Histogram|Counter/.test(fn)) return "metrics recording";
    if (/hrTime|millisToHrTime|getTimeOrigin|timeInputToHrTime|addHrTimes|isTimeInput/.test(fn))
      return "span start and end (SDK)";
    // The SDK checks and copies every attribute a span starts with (twice) or is given.
    if (/cleanAttributes|isAnyValue|AttributeValue|isAttributeKey|maybeAddAttribute|copyAndTrunc/.test(fn))
      return "attributes and semantic conventions";
    return "context propagation";
  }
  if (url.includes("/@opentelemetry/instrumentation") || url.includes("/shimmer/")) return "instrumentation hooks";
  return "application and frameworks";
}

// Native functions that enter the kernel to write to a socket. The profile samples wall time, so
// time the service spends descheduled shows up where it happens to be, and a write that wakes
// the load generator is where it most often is: kept apart, it does not blur the categories.
const SOCKET_WRITES = /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString|writeUcs2String)$/;

/**
 * The category of a whole stack, innermost frame last. Synthetic roots ("(garbage collector)",
 * "(program)", "(idle)") come as a single frame.
 */
export function categoryOfStack(stack: readonly Frame[]): Category | "idle" {
  const leaf = stack[stack.length - 1];
  if (leaf !== undefined && leaf.url === "" && SOCKET_WRITES.test(leaf.functionName))
    return "socket writes (system calls)";
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i] as Frame;
    if (frame.functionName === "(garbage collector)") return "garbage collection";
    if (frame.functionName === "(idle)") return "idle";
    if (!isNodeInternal(frame)) return categoryOf(frame);
  }
  return "Node (HTTP server, sockets)";
}
