// encodeTraceRequest writes the same bytes as the upstream ProtobufTraceSerializer for batches of
// spans of every shape: attribute values of each type (and the ones it remembers, past its
// limits), events, links, trace state, remote and local parents, status messages, every kind,
// dropped counts, several resources and scopes with and without schema URLs and versions, and
// messages long enough for every length encoding (a span under 128 bytes and over 16 KiB, a
// scope's group under 16 KiB and over 2 MiB).
import { type Attributes, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from "@opentelemetry/api";
import { TraceState } from "@opentelemetry/core";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { type ReadableSpan, type SpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { encodeTraceRequest } from "../src/otlp-encoder.ts";

function upstream(spans: ReadableSpan[]): Uint8Array {
  return ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array;
}

function provider(resource: Attributes, schemaUrl: string | undefined, ended: ReadableSpan[]): TracerProvider {
  const collect: SpanProcessor = {
    onStart() {},
    onEnd: (span) => ended.push(span),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  return new TracerProvider({
    resource: resourceFromAttributes(resource, schemaUrl === undefined ? {} : { schemaUrl }),
    spanProcessors: [collect],
    spanLimits: { attributeCountLimit: 40, eventCountLimit: 3, linkCountLimit: 2 },
  });
}

const VALUES: Attributes = {
  "str.ascii": "GET",
  "str.empty": "",
  "str.utf8": "café ☕ 東京 😀",
  "str.long": "x".repeat(300),
  "str.longer": "y".repeat(20_000),
  "bool.true": true,
  "bool.false": false,
  "int.zero": 0,
  "int.small": 200,
  "int.negative": -42,
  "int.big": 2 ** 40 + 7,
  "int.huge": Number.MAX_SAFE_INTEGER,
  "int.min": -(2 ** 53) + 1,
  "double.pi": Math.PI,
  "double.negative": -0.5,
  "double.beyond-int64": 2 ** 64,
  "arr.str": ["a", "b", "ç"],
  "arr.num": [1, 2.5, -3],
  "arr.bool": [true, false],
  "arr.empty": [],
};

/** A batch that covers every shape, from two resources and three scopes. */
function batch(spansPerScope: number): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const a = provider(
    { "service.name": "checkout", "k8s.cluster.name": "prod", "n.count": 3 },
    "https://opentelemetry.io/schemas/1.30.0",
    ended,
  );
  const b = provider({ "service.name": "ledger" }, undefined, ended);
  const tracers = [
    a.getTracer("@opentelemetry/instrumentation-http", "0.300.0", {
      schemaUrl: "https://opentelemetry.io/schemas/1.27.0",
    }),
    a.getTracer("app"),
    b.getTracer("jobs", "1.0.0"),
  ];
  const remote = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: "0af7651916cd43dd8448eb211c80319c",
    spanId: "b7ad6b7169203331",
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState("vendor=opaque,congo=t61rcWkgMzE"),
  });
  const kinds = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
  for (const [t, tracer] of tracers.entries()) {
    for (let i = 0; i < spansPerScope; i++) {
      const parent = i % 3 === 0 ? remote : ROOT_CONTEXT;
      const span = tracer.startSpan(
        i % 2 === 0 ? "GET /api/orders/:id" : `job ${i} ✓`,
        {
          kind: kinds[i % kinds.length] as SpanKind,
          attributes: {
            ...(i % 4 === 0 ? VALUES : {}),
            "url.path": `/api/orders/${i}`,
            "http.response.status_code": 200 + (i % 5),
            // More distinct values than the encoder remembers per key.
            "many.values": `v${i % 100}`,
          },
          links:
            i % 5 === 0
              ? [
                  { context: trace.getSpanContext(remote) as never, attributes: { "link.kind": "follows", n: i } },
                  // Upper case and stray characters, read as upstream's hexToBinary reads them.
                  {
                    context: {
                      traceId: "ABCDEF0123456789abcdef01234567zZ",
                      spanId: `${"2".repeat(15)}G`,
                      traceFlags: TraceFlags.NONE,
                    },
                  },
                  { context: { traceId: "3".repeat(32), spanId: "4".repeat(16), traceFlags: TraceFlags.SAMPLED } },
                ]
              : undefined,
        },
        parent,
      );
      if (i % 6 === 0) {
        const child = tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, span));
        child.end();
      }
      if (i % 4 === 1) {
        span.addEvent("cache miss", { "cache.key": `k${i}`, hit: false });
        span.addEvent("retry");
        span.recordException(new Error(`failed ${i} ü`));
        span.addEvent("one too many");
        span.setStatus({ code: SpanStatusCode.ERROR, message: `failed ${i}` });
      } else if (i % 4 === 2) span.setStatus({ code: SpanStatusCode.OK });
      if (i % 7 === 0) for (let k = 0; k < 45; k++) span.setAttribute(`extra.${k}`, k);
      span.end([1_700_000_000 + t, (i * 7919) % 1e9]);
    }
  }
  return ended;
}

test("the same bytes as the upstream serializer, for one span and for batches of every shape", () => {
  // 450 spans per scope: a scope's group passes 2 MiB (a four-byte length).
  for (const size of [1, 7, 60, 200, 450]) {
    const spans = batch(size);
    const ours = encodeTraceRequest(spans);
    assert.ok(ours.length > 0);
    assert.equal(Buffer.from(ours).equals(Buffer.from(upstream(spans))), true, `batch of ${spans.length} spans`);
  }
});

test("the same bytes again once the encoder remembers attributes, and for the empty batch", () => {
  const spans = batch(30);
  for (let i = 0; i < 3; i++) assert.ok(Buffer.from(encodeTraceRequest(spans)).equals(Buffer.from(upstream(spans))));
  assert.ok(Buffer.from(encodeTraceRequest([])).equals(Buffer.from(upstream([]))));
});

test("the comparison sees a difference of one attribute", () => {
  const spans = batch(3);
  const before = encodeTraceRequest(spans);
  (spans[0] as ReadableSpan).attributes["url.path"] = "/api/orders/other";
  const after = encodeTraceRequest(spans);
  assert.not.ok(Buffer.from(before).equals(Buffer.from(after)));
  assert.ok(Buffer.from(after).equals(Buffer.from(upstream(spans))));
});

test.run();
