// needs tools: rabbitmq-server
// amqplib, instrumented by name, against a real RabbitMQ started once for this file (rabbitmq.ts):
// a message published inside a request is a producer span of it, and its processing a consumer
// span that continues the publisher's trace through the message headers.
import { createRequire } from "node:module";
import { context, SpanKind, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { declaredTools, ensureTools } from "../../policies/live/tools.ts";
import { ROOT } from "../../scripts/repo-files.ts";
import { type RabbitMq, startRabbitMq } from "./rabbitmq.ts";
import { spansAfter, startInMemoryTracing } from "./support.ts";

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
const tracing = startInMemoryTracing({ instrumentations: ["amqplib"] });
// Loaded after tracing started, through require, so the instrumentation's require hook patches it.
const require = createRequire(import.meta.url);
const amqp = require("amqplib") as typeof import("amqplib");

const tracer = trace.getTracer("messaging.int.test");
const test = suite("messaging");
const state: { broker?: RabbitMq; connection?: Awaited<ReturnType<typeof amqp.connect>> } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));

test.before(async () => {
  state.broker = await startRabbitMq();
  state.connection = await amqp.connect(state.broker.url);
});

test.after(async () => {
  await state.connection?.close();
  await state.broker?.stop();
});

test("a message sent inside a request is a producer span of it; its processing, a consumer span of that trace", async () => {
  const connection = state.connection;
  if (!connection) throw new Error("no connection");
  const channel = await connection.createChannel();
  try {
    await channel.assertQueue("orders", { durable: false, autoDelete: true });
    const processed = new Promise<string>((resolve) => {
      void channel.consume("orders", (message) => {
        if (!message) return;
        channel.ack(message);
        resolve(message.content.toString());
      });
    });
    const request = tracer.startSpan("POST /orders", { kind: SpanKind.SERVER });
    context.with(trace.setSpan(context.active(), request), () => {
      channel.sendToQueue("orders", Buffer.from("order 42"), { messageId: "m-42" });
    });
    request.end();
    assert.is(await processed, "order 42");
    const spans = await spansAfter(tracing, 3);
    const publish = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const consume = spans.find((s) => s.kind === SpanKind.CONSUMER);
    assert.ok(publish, `no producer span in ${names(spans)}`);
    assert.ok(consume, `no consumer span in ${names(spans)}`);
    // The default exchange ("") routes by queue name; the span says so.
    assert.is(publish.name, "publish <default>");
    assert.is(publish.attributes["messaging.rabbitmq.routing_key"], "orders");
    assert.is(publish.attributes["messaging.message_id"], "m-42");
    assert.is(publish.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.is(consume.name, "orders process");
    assert.is(consume.attributes["messaging.operation"], "process");
    assert.is(consume.attributes["messaging.rabbitmq.routing_key"], "orders");
    assert.is(consume.spanContext().traceId, request.spanContext().traceId);
    assert.is(consume.parentSpanContext?.spanId, publish.spanContext().spanId);
    for (const span of [publish, consume]) {
      assert.is(span.attributes["messaging.system"], "rabbitmq", span.name);
      assert.is(span.attributes["server.address"], "127.0.0.1", span.name);
      assert.is(span.attributes["server.port"], state.broker?.port, span.name);
      // The connection URL is recorded with its password censored.
      assert.not.match(String(span.attributes["messaging.url"]), /guest:guest/, span.name);
    }
  } finally {
    await channel.close();
  }
});

test.run();
