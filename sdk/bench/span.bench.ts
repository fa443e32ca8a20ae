// Span start + end cost of the distribution's pipeline (sampler rules, id generator, enrichment,
// redaction, metrics bridge, counted batch processor) against the bare @opentelemetry/sdk-trace
// provider with the same batch processor settings, both exporting to a no-op exporter. The two run in
// alternating rounds in this one process, and the ratio of their median times is printed. A
// round's time is the CPU time of this process (user + system, from process.cpuUsage), not the
// wall clock: on a shared machine the wall clock also counts time spent descheduled, which made
// per-round ratios swing by ±25 %.
// Target: ours / bare ≤ 1.0 (doing more than the bare SDK for no more than it costs).
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter, TracerProvider } from "@opentelemetry/sdk-trace";
import { median } from "../../scripts/stats.ts";
import { resolveConfig } from "../src/config.ts";
import { useLeanTracers } from "../src/lean-tracer.ts";
import { createSpanPipeline } from "../src/pipeline.ts";

const SPANS_PER_ROUND = 100_000;
const ROUNDS = 9;
const CHUNK = 256;

class NoopExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const config = resolveConfig({ serviceName: "bench", serviceVersion: "1.0.0", cluster: "bench" }, {});
const pipeline = createSpanPipeline(config, new NoopExporter());
// As setup.ts makes it: the SDK's provider, its tracers made lean (src/lean-tracer.ts).
const ours = useLeanTracers(
  new TracerProvider({
    sampler: pipeline.sampler,
    idGenerator: pipeline.idGenerator,
    spanProcessors: pipeline.spanProcessors,
  }),
).getTracer("bench");
const bare = new TracerProvider({
  spanProcessors: [new BatchSpanProcessor({ exporter: new NoopExporter(), ...config.batch })],
}).getTracer("bench");

// Ten attributes of the kinds services really set: short strings, numbers, one URL with a query.
function attributes(i: number) {
  return {
    "http.request.method": "GET",
    "http.route": "/api/orders/:id",
    "url.path": `/api/orders/${i}`,
    "url.query": "page=2&sort=desc",
    "http.response.status_code": 200,
    "server.address": "orders.shop.svc.cluster.local",
    "server.port": 8080,
    "user_agent.original": "Mozilla/5.0 (X11; Linux x86_64)",
    "app.order.items": 3,
    "app.order.currency": "EUR",
  };
}

async function round(tracer: typeof ours): Promise<number> {
  const start = process.cpuUsage();
  for (let done = 0; done < SPANS_PER_ROUND; done += CHUNK) {
    for (let i = 0; i < CHUNK; i++) {
      tracer
        .startSpan("GET /api/orders/:id", { kind: SpanKind.INTERNAL, attributes: attributes(done + i) }, ROOT_CONTEXT)
        .end();
    }
    // Let the batch processor's export callbacks run, as they would between requests.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// Warm up both paths so the JIT has compiled them before anything is timed.
await round(ours);
await round(bare);
const oursTimes: number[] = [];
const bareTimes: number[] = [];
// The machine is shared: each round times both back to back (alternating which goes first) and
// the ratio is taken within the round, then the median over rounds.
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const [first, second] = r % 2 === 0 ? [bare, ours] : [ours, bare];
  const a = await round(first);
  const b = await round(second);
  const [bareTime, oursTime] = r % 2 === 0 ? [a, b] : [b, a];
  bareTimes.push(bareTime);
  oursTimes.push(oursTime);
  ratios.push(oursTime / bareTime);
}
const oursNs = (median(oursTimes) * 1e6) / SPANS_PER_ROUND;
const bareNs = (median(bareTimes) * 1e6) / SPANS_PER_ROUND;
const ratio = median(ratios);
const counts = pipeline.dropCounter.counts();
console.log(`span start+end, 10 attributes, ${ROUNDS} rounds × ${SPANS_PER_ROUND} spans (median)`);
console.log(`  bare @opentelemetry/sdk-trace + BatchSpanProcessor: ${(bareNs / 1000).toFixed(2)} µs/span`);
console.log(`  @greenlang/tracing pipeline:                      ${(oursNs / 1000).toFixed(2)} µs/span`);
console.log(
  `  ratio ours/bare, median of per-round ratios (${ratios.map((x) => x.toFixed(3)).join(", ")}): ${ratio.toFixed(3)} (target ≤ 1.0) ${ratio <= 1.0 ? "OK" : "OVER TARGET"}`,
);
console.log(`  our pipeline: exported ${counts.exported}, dropped (queue full) ${counts.droppedQueueFull}`);
