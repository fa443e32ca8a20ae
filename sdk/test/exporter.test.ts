// The OTLP span exporters against a real HTTP server on loopback: what goes over the wire for each
// protocol and compression setting, byte for byte against the upstream serializers.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync, gzipSync } from "node:zlib";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { ConsoleSpanExporter, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveConfig, type TracingOptions } from "../src/config.ts";
import { createSpanExporter } from "../src/exporter.ts";
import { spansEndedBy } from "./support.ts";

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const received: Received[] = [];
let answerStatus = 200;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    received.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
    const json = req.headers["content-type"] === "application/json";
    res.writeHead(answerStatus, { "content-type": json ? "application/json" : "application/x-protobuf" });
    res.end(json ? "{}" : undefined);
  });
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** Ended spans shaped like an HTTP server's: repetitive attributes, one event, some errors. */
function serverSpans(count: number): ReadableSpan[] {
  return spansEndedBy({ "service.name": "checkout", "k8s.pod.name": "checkout-7d9f-abcde" }, (tracer) => {
    for (let i = 0; i < count; i++) {
      const span = tracer.startSpan("GET /orders/:id", {
        kind: SpanKind.SERVER,
        attributes: { "http.request.method": "GET", "url.path": `/orders/${i}`, "server.port": 8080 },
      });
      span.addEvent("cache miss", { "cache.key": `order:${i}` });
      const failed = i % 7 === 0;
      span.setAttribute("http.response.status_code", failed ? 500 : 200);
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: "upstream timed out" });
      span.end();
    }
  });
}

function exportWith(
  options: TracingOptions,
  spans: ReadableSpan[],
): Promise<{ result: ExportResult; request: Received }> {
  const exporter = createSpanExporter(
    resolveConfig({ endpoint, headers: { "x-scope-orgid": "team-a" }, ...options }, {}),
  );
  if (!exporter) throw new Error("expected an exporter");
  const before = received.length;
  return new Promise((resolve) => {
    exporter.export(spans, (result) => {
      void exporter.shutdown();
      resolve({ result, request: received[before] as Received });
    });
  });
}

const spans = serverSpans(200);
const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array);

test("http/protobuf with gzip (the default): the upstream protobuf body, gzipped once at level 1", async () => {
  const { result, request } = await exportWith({}, spans);
  assert.is(result.code, ExportResultCode.SUCCESS);
  assert.is(request.url, "/v1/traces");
  assert.is(request.headers["content-type"], "application/x-protobuf");
  assert.is(request.headers["content-encoding"], "gzip");
  assert.is(request.headers["x-scope-orgid"], "team-a");
  assert.ok(request.body.equals(gzipSync(protobuf, { level: 1 })), "body is the level-1 gzip of the protobuf request");
  assert.ok(gunzipSync(request.body).equals(protobuf));
  assert.ok(
    request.body.length * 5 < protobuf.length,
    `gzip shrinks the batch (${request.body.length} of ${protobuf.length} bytes)`,
  );
});

test("gzip asked for in the environment too is still applied once, by the serializer", async () => {
  // The upstream transport reads OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION itself; the exporter must
  // override it, or the Collector would receive a body gzipped twice.
  process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION = "gzip";
  try {
    const { result, request } = await exportWith({}, spans);
    assert.is(result.code, ExportResultCode.SUCCESS);
    assert.ok(gunzipSync(request.body).equals(protobuf));
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION;
  }
});

test("the gzip level is configurable", async () => {
  const { request } = await exportWith({ compressionLevel: 9 }, spans);
  const level1 = gzipSync(protobuf, { level: 1 });
  const level9 = gzipSync(protobuf, { level: 9 });
  assert.not.ok(level1.equals(level9), "this batch compresses differently at levels 1 and 9");
  assert.ok(request.body.equals(level9));
});

test("compression none sends the protobuf body as it is, without Content-Encoding", async () => {
  const { result, request } = await exportWith({ compression: "none" }, spans);
  assert.is(result.code, ExportResultCode.SUCCESS);
  assert.is(request.headers["content-encoding"], undefined);
  assert.ok(request.body.equals(protobuf));
});

test("http/json: OTLP JSON, gzipped", async () => {
  const { result, request } = await exportWith({ protocol: "http/json" }, spans.slice(0, 3));
  assert.is(result.code, ExportResultCode.SUCCESS);
  assert.is(request.headers["content-type"], "application/json");
  assert.is(request.headers["content-encoding"], "gzip");
  const body = JSON.parse(gunzipSync(request.body).toString("utf8"));
  const exported = body.resourceSpans[0].scopeSpans[0].spans as { name: string; events: unknown[] }[];
  assert.equal(
    exported.map((span) => span.name),
    ["GET /orders/:id", "GET /orders/:id", "GET /orders/:id"],
  );
  assert.is(exported[0]?.events.length, 1);
});

test("a rejected export is reported as failed", async () => {
  answerStatus = 400;
  try {
    const { result } = await exportWith({}, spans.slice(0, 1));
    assert.is(result.code, ExportResultCode.FAILED);
  } finally {
    answerStatus = 200;
  }
});

test("gRPC, console and none", () => {
  const exporter = (options: TracingOptions): SpanExporter | undefined =>
    createSpanExporter(resolveConfig(options, {}));
  assert.instance(exporter({ protocol: "grpc" }), GrpcExporter);
  assert.instance(exporter({ tracesExporter: "console" }), ConsoleSpanExporter);
  assert.is(exporter({ tracesExporter: "none" }), undefined);
});

test.after(() => {
  server.close();
});

test.run();
