// What compressing an OTLP/HTTP batch costs the service, per span: the upstream transport's way
// (a zlib gzip stream at the default level 6, run on the libuv thread pool) against this
// distribution's (gzipSync at the configured level, 1 by default, inside the serializer). The
// batch is 512 spans shaped like the http instrumentation's server spans. CPU is the whole
// process's (process.cpuUsage), so thread-pool work counts. Prints the sizes and the ratio of ours
// to upstream; and the protobuf serialization before it, upstream's (ProtobufTraceSerializer) and
// ours (src/otlp-encoder.ts, the same bytes).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip, gzipSync } from "node:zlib";
import { SpanKind } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { median } from "../../scripts/stats.ts";
import { resolveConfig } from "../src/config.ts";
import { encodeTraceRequest } from "../src/otlp-encoder.ts";
import { spansEndedBy } from "../test/support.ts";

const BATCH = 512;
const ROUNDS = 7;
const BATCHES_PER_ROUND = 100;

function httpServerSpans(): ReadableSpan[] {
  const resource = {
    "service.name": "bench-app",
    "telemetry.sdk.language": "nodejs",
    "telemetry.sdk.name": "opentelemetry",
    "telemetry.sdk.version": "3.0.0",
    "host.name": "node-7f9c",
    "process.pid": 4242,
  };
  return spansEndedBy(resource, (tracer) => {
    for (let i = 0; i < BATCH; i++) {
      const span = tracer.startSpan("GET", {
        kind: SpanKind.SERVER,
        attributes: {
          "http.url": "http://127.0.0.1:40123/",
          "http.host": "127.0.0.1:40123",
          "net.host.name": "127.0.0.1",
          "http.method": "GET",
          "http.scheme": "http",
          "http.target": "/",
          "http.user_agent": "autocannon/9.0.0",
          "http.flavor": "1.1",
          "net.transport": "ip_tcp",
          "net.host.ip": "127.0.0.1",
          "net.host.port": 40123,
          "net.peer.ip": "127.0.0.1",
          "net.peer.port": 50000 + (i % 10),
        },
      });
      span.setAttribute("http.status_code", 200);
      span.setAttribute("http.status_text", "OK");
      span.end();
    }
  });
}

/** CPU microseconds per span of running `work` over BATCHES_PER_ROUND batches. */
async function cpuPerSpan(work: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCHES_PER_ROUND; i++) await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (BATCHES_PER_ROUND * BATCH);
}

async function upstreamStream(body: Uint8Array): Promise<number> {
  let size = 0;
  const readable = new Readable({ read() {} });
  readable.push(body);
  readable.push(null);
  await pipeline(readable, createGzip(), async (compressed: AsyncIterable<Buffer>) => {
    for await (const chunk of compressed) size += chunk.length;
  });
  return size;
}

const spans = httpServerSpans();
const body = ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
const level = resolveConfig({}, {}).compressionLevel;
const serialize = () => ProtobufTraceSerializer.serializeRequest(spans);
const encode = () => encodeTraceRequest(spans);
const ours = () => gzipSync(body, { level });
const upstream = () => upstreamStream(body);

const timings = {
  serialize: [] as number[],
  encode: [] as number[],
  encodeRatio: [] as number[],
  ours: [] as number[],
  upstream: [] as number[],
  ratio: [] as number[],
};
for (let round = -1; round < ROUNDS; round++) {
  const s = await cpuPerSpan(serialize);
  const e = await cpuPerSpan(encode);
  const o = await cpuPerSpan(ours);
  const u = await cpuPerSpan(upstream);
  if (round < 0) continue; // warm-up
  timings.serialize.push(s);
  timings.encode.push(e);
  timings.encodeRatio.push(e / s);
  timings.ours.push(o);
  timings.upstream.push(u);
  timings.ratio.push(o / u);
}

const perSpan = (bytes: number) => (bytes / BATCH).toFixed(1);
const ratio = median(timings.ratio);
console.log(`OTLP/HTTP body compression, ${BATCH} HTTP server spans per batch, ${ROUNDS} rounds (median CPU per span)`);
console.log(
  `  protobuf serialization, upstream:           ${median(timings.serialize).toFixed(2)} µs   ${perSpan(body.length)} bytes`,
);
console.log(
  `  protobuf serialization, ours (same bytes):  ${median(timings.encode).toFixed(2)} µs   (ratio ours/upstream per round ${timings.encodeRatio.map((r) => r.toFixed(2)).join(", ")}: ${median(timings.encodeRatio).toFixed(2)})`,
);
console.log(
  `  upstream: gzip stream, level 6:             ${median(timings.upstream).toFixed(2)} µs   ${perSpan(await upstreamStream(body))} bytes`,
);
console.log(
  `  ours: gzipSync in the serializer, level ${level}: ${median(timings.ours).toFixed(2)} µs   ${perSpan(ours().length)} bytes   (${((median(timings.ours) * BATCH) / 1000).toFixed(2)} ms of the event loop per batch)`,
);
console.log(
  `  CPU ratio ours/upstream (per round ${timings.ratio.map((r) => r.toFixed(2)).join(", ")}): ${ratio.toFixed(2)}`,
);
