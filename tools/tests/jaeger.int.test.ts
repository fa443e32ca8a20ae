import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Jaeger, spansOf, startJaeger } from "../../test/support/jaeger.ts";
import { attributesOf, newSpanId, newTraceId, sendSpans } from "../../test/support/otlp.ts";

let jaeger: Jaeger;

test.before(async () => {
  jaeger = await startJaeger();
});
test.after(async () => {
  await jaeger?.stop();
});

test("jaeger: accepts OTLP/HTTP on loopback and answers the query API with the same trace", async () => {
  const traceId = newTraceId();
  const root = newSpanId();
  await sendSpans(jaeger.otlpHttpUrl, [
    { traceId, spanId: root, name: "GET /orders", serviceName: "checkout", attributes: { "http.route": "/orders" } },
    {
      traceId,
      parentSpanId: root,
      name: "SELECT orders",
      serviceName: "orders-db",
      attributes: { "db.system": "postgresql" },
    },
  ]);
  const trace = await jaeger.waitForTrace(traceId, 2);
  const spans = spansOf(trace);
  assert.equal(spans.map((s) => s.name).sort(), ["GET /orders", "SELECT orders"]);
  const services = trace.map((rs) => attributesOf(rs.resource?.attributes)["service.name"]).sort();
  assert.equal(services, ["checkout", "orders-db"]);
  const child = spans.find((s) => s.name === "SELECT orders");
  assert.is(child?.parentSpanId, root);
});

test("jaeger: an unknown trace id is not found", async () => {
  assert.is(await jaeger.getTrace(newTraceId()), undefined);
});

test.run();
