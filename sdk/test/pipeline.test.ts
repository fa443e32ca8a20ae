// The span pipeline as the SDK runs it: one processor that redacts before the metrics bridge and
// the exporter see a span, feeds both, flushes and shuts down the batch processor, and whose
// exports the DropCounter counts; with the distribution's own exporter, what reaches a collector.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { propagation, ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveConfig } from "../src/config.ts";
import { createSpanExporter } from "../src/exporter.ts";
import { createSpanPipeline } from "../src/pipeline.ts";

function pipelineWith(exporter: InMemorySpanExporter | undefined, env: Record<string, string> = {}) {
  const config = resolveConfig({ serviceName: "svc", cluster: "dev-1", handleSignals: false }, env);
  const pipeline = createSpanPipeline(config, exporter);
  const provider = new TracerProvider({ sampler: pipeline.sampler, spanProcessors: pipeline.spanProcessors });
  return { pipeline, tracer: provider.getTracer("test"), provider };
}

test("the SDK is given one processor", () => {
  const { pipeline } = pipelineWith(new InMemorySpanExporter());
  assert.is(pipeline.spanProcessors.length, 1);
});

test("exported spans and the metrics bridge both see the redacted, enriched span", async () => {
  const exporter = new InMemorySpanExporter();
  const { pipeline, tracer } = pipelineWith(exporter);
  const baggage = propagation.createBaggage({ "tenant.id": { value: "acme" } });
  const span = tracer.startSpan(
    "GET /users/:id",
    { kind: SpanKind.SERVER, attributes: { "http.response.status_code": 200 } },
    propagation.setBaggage(ROOT_CONTEXT, baggage),
  );
  span.setAttribute("user.email", "jane@example.com");
  span.end();
  await pipeline.batch?.forceFlush();
  const [exported] = exporter.getFinishedSpans();
  assert.is(exported?.attributes["user.email"], "[REDACTED:email]");
  assert.is(exported?.attributes["tenant.id"], "acme");
  assert.is(exported?.attributes["k8s.cluster.name"], "dev-1");
  const series = pipeline.spanMetrics?.collect().series ?? [];
  assert.is(series.length, 1);
  assert.is(series[0]?.requests, 1);
  assert.is(pipeline.dropCounter.counts().exported, 1);
});

test("with metrics off and no exporter the pipeline still enriches and ends spans quietly", async () => {
  const { pipeline, tracer, provider } = pipelineWith(undefined, { OTEL_METRICS_EXPORTER: "none" });
  assert.is(pipeline.batch, undefined);
  assert.is(pipeline.spanMetrics, undefined);
  tracer.startSpan("work").end();
  await provider.forceFlush();
  await provider.shutdown();
});

test("shutdown exports what is still queued", async () => {
  // InMemorySpanExporter forgets its spans on shutdown, so record names as they are exported.
  const exporter = new InMemorySpanExporter();
  const exportedNames: string[] = [];
  const record = exporter.export.bind(exporter);
  exporter.export = (spans, done) => {
    exportedNames.push(...spans.map((s) => s.name));
    record(spans, done);
  };
  const { tracer, provider } = pipelineWith(exporter, { OTEL_BSP_SCHEDULE_DELAY: "60000" });
  tracer.startSpan("queued").end();
  assert.equal(exportedNames, []);
  await provider.shutdown();
  assert.equal(exportedNames, ["queued"]);
});

test("with the distribution's OTLP/protobuf exporter, the batch goes out as upstream's serializer writes it", async () => {
  const bodies: Buffer[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      bodies.push(gunzipSync(Buffer.concat(chunks)));
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  try {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_COMPRESSION: "gzip",
    };
    const config = resolveConfig({ serviceName: "svc", cluster: "dev-1", handleSignals: false }, env);
    const pipeline = createSpanPipeline(config, createSpanExporter(config));
    // The same span objects, as the exporter got them, for the upstream serializer.
    const seen = new InMemorySpanExporter();
    const provider = new TracerProvider({
      sampler: pipeline.sampler,
      spanProcessors: [...pipeline.spanProcessors, new SimpleSpanProcessor({ exporter: seen })],
    });
    const tracer = provider.getTracer("test");
    for (let i = 0; i < 20; i++) {
      const span = tracer.startSpan(`GET /orders/${i % 3}`, {
        kind: SpanKind.SERVER,
        attributes: { "http.response.status_code": 200 + i, "user.email": "jane@example.com" },
      });
      span.addEvent("checked", { n: i });
      span.end();
    }
    await provider.forceFlush();
    const spans = seen.getFinishedSpans();
    assert.is(spans.length, 20);
    assert.is(spans[0]?.attributes["user.email"], "[REDACTED:email]");
    assert.is(bodies.length, 1);
    const expected = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);
    assert.ok(bodies[0]?.equals(expected), "the body upstream's serializer writes for the same spans");
    await provider.shutdown();
  } finally {
    collector.close();
  }
});

test.run();
