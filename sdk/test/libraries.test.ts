// hapi, socket.io, DataLoader, generic-pool, winston and bunyan, instrumented by name: each
// library used for real in this process (a hapi server and a socket.io server on 127.0.0.1 with
// their own clients; DataLoader and generic-pool inside a request's span; winston and bunyan
// writing to a stream this test reads), and the spans or log fields each instrumentation adds.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { context, trace } from "@opentelemetry/api";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spansAfter as spansAfterIn, startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing({
  instrumentations: ["http", "hapi", "socket.io", "dataloader", "generic-pool", "winston", "bunyan"],
});
// Loaded after tracing started, through require, so the instrumentations' require hooks patch them.
const require = createRequire(import.meta.url);
const Hapi = require("@hapi/hapi") as typeof import("@hapi/hapi");
const { Server: SocketServer } = require("socket.io") as typeof import("socket.io");
const { io: connect } = require("socket.io-client") as typeof import("socket.io-client");
const DataLoader = require("dataloader") as typeof import("dataloader");
const genericPool = require("generic-pool") as typeof import("generic-pool");
const winston = require("winston") as typeof import("winston");
const bunyan = require("bunyan") as typeof import("bunyan");

const spansAfter = (expected: number) => spansAfterIn(tracing, expected);
const tracer = trace.getTracer("libraries.test");
const test = suite("libraries");

/** Runs `work` inside a request-like parent span; returns the parent's trace id. */
async function inSpan<T>(name: string, work: () => Promise<T>): Promise<{ traceId: string; result: T }> {
  const span = tracer.startSpan(name);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), work);
    return { traceId: span.spanContext().traceId, result };
  } finally {
    span.end();
  }
}

test("hapi: the route names the server span, and the handler runs in a hapi route span of its trace", async () => {
  const server = Hapi.server({ host: "127.0.0.1", port: 0 });
  server.route({ method: "GET", path: "/orders/{id}", handler: (request) => ({ id: request.params.id }) });
  await server.start();
  try {
    const response = await fetch(`${server.info.uri}/orders/42`);
    assert.equal(await response.json(), { id: "42" });
    const spans = await spansAfter(2);
    const serverSpan = spans.find((s) => s.kind === 1);
    const route = spans.find((s) => s.attributes["hapi.type"] === "router");
    assert.ok(route, `no hapi route span in ${JSON.stringify(spans.map((s) => s.name))}`);
    assert.is(route?.attributes["http.route"], "/orders/{id}");
    assert.is(serverSpan?.attributes["http.route"], "/orders/{id}");
    assert.is(route?.spanContext().traceId, serverSpan?.spanContext().traceId);
  } finally {
    await server.stop();
  }
});

test("socket.io: an emitted event and its receipt are messaging spans", async () => {
  const io = new SocketServer({ serveClient: false });
  const { createServer } = require("node:http") as typeof import("node:http");
  const http = createServer();
  io.attach(http);
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const received = new Promise<string>((resolve) => {
    io.on("connection", (socket) => socket.on("order", (id: string) => resolve(id)));
  });
  const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"] });
  try {
    client.emit("order", "42");
    assert.is(await received, "42");
    io.emit("shipped", "42");
    const spans = await spansAfter(2);
    const messaging = spans.filter((s) => s.attributes["messaging.system"] === "socket.io");
    assert.ok(
      messaging.some((s) => s.attributes["messaging.operation"] === "receive" || s.name.includes("receive")),
      `no receive span in ${JSON.stringify(spans.map((s) => s.name))}`,
    );
    assert.ok(messaging.some((s) => s.name.includes("send") || s.attributes["messaging.operation"] === "publish"));
  } finally {
    client.close();
    io.close();
    http.close();
  }
});

test("DataLoader: loads inside a request become spans of its trace; outside one, none", async () => {
  const loader = new DataLoader<number, string>(async (keys) => keys.map((k) => `customer-${k}`));
  await loader.loadMany([99]); // outside any span: requireParentSpan keeps it quiet
  const { traceId, result } = await inSpan("GET /customers", () => Promise.all([loader.load(1), loader.load(2)]));
  assert.equal(result, ["customer-1", "customer-2"]);
  const spans = await spansAfter(3);
  const loads = spans.filter((s) => s.name.startsWith("dataloader"));
  assert.ok(loads.length >= 2, `dataloader spans: ${JSON.stringify(spans.map((s) => s.name))}`);
  for (const s of loads) assert.is(s.spanContext().traceId, traceId, s.name);
  assert.ok(
    loads.some((s) => s.name.includes("batch")),
    "the batch function is a span",
  );
});

test("generic-pool: acquiring a resource is a span of the request's trace", async () => {
  const pool = genericPool.createPool({ create: async () => ({ id: 1 }), destroy: async () => {} }, { max: 1 });
  try {
    const { traceId } = await inSpan("GET /pooled", async () => {
      const resource = await pool.acquire();
      await pool.release(resource);
    });
    const spans = await spansAfter(2);
    const acquire = spans.find((s) => s.name.includes("acquire"));
    assert.ok(acquire, `no acquire span in ${JSON.stringify(spans.map((s) => s.name))}`);
    assert.is(acquire?.spanContext().traceId, traceId);
  } finally {
    await pool.drain();
    await pool.clear();
  }
});

/** A stream collecting the JSON records a logger writes. */
function recordSink(): { stream: Writable; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) records.push(JSON.parse(line));
      done();
    },
  });
  return { stream, records };
}

test("winston and bunyan: a record written inside a span carries its trace and span ids; outside, none", async () => {
  const w = recordSink();
  const wlog = winston.createLogger({
    format: winston.format.json(),
    transports: [new winston.transports.Stream({ stream: w.stream })],
  });
  const b = recordSink();
  const blog = bunyan.createLogger({ name: "orders", streams: [{ stream: b.stream }] });
  const span = tracer.startSpan("GET /logged");
  context.with(trace.setSpan(context.active(), span), () => {
    wlog.info("inside");
    blog.info("inside");
  });
  span.end();
  wlog.info("outside");
  blog.info("outside");
  await new Promise((resolve) => setTimeout(resolve, 50));
  const { traceId, spanId } = span.spanContext();
  for (const [name, records] of [
    ["winston", w.records],
    ["bunyan", b.records],
  ] as const) {
    const inside = records.find((r) => r.message === "inside" || r.msg === "inside");
    const outside = records.find((r) => r.message === "outside" || r.msg === "outside");
    assert.equal([inside?.trace_id, inside?.span_id, inside?.trace_flags], [traceId, spanId, "01"], name);
    assert.is(outside?.trace_id, undefined, `${name}: no ids outside a span`);
  }
});

test.run();
