// The enrichment processor: tenant and user come from baggage, cluster and version are stamped on
// every span (within the SDK's attribute limits), and redaction covers attributes set at any time,
// event attributes and the status message.
import { propagation, ROOT_CONTEXT, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type SpanLimits, TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { constantSpanAttributes, EnrichmentSpanProcessor } from "../src/enrichment.ts";
import { Redactor } from "../src/redaction.ts";
import { createSampler } from "../src/sampler.ts";

function setup(redact: boolean, spanLimits?: SpanLimits) {
  const exporter = new InMemorySpanExporter();
  const enrichment = new EnrichmentSpanProcessor({
    constantAttributes: constantSpanAttributes("prod-eu-1", "2.4.0"),
    tenantBaggageKey: "tenant.id",
    userBaggageKey: "enduser.id",
    redactor: redact ? new Redactor({ allowKeys: ["support.email"] }) : undefined,
  });
  const sampler = createSampler({ serviceName: "svc", ratio: 1, rules: [], ignorePaths: [] });
  const provider = new TracerProvider({
    sampler,
    spanLimits,
    spanProcessors: [enrichment, new SimpleSpanProcessor({ exporter })],
  });
  return { exporter, tracer: provider.getTracer("test") };
}

test("tenant and user from baggage; cluster and version on every span, children included", () => {
  const { exporter, tracer } = setup(true);
  const baggage = propagation.createBaggage({
    "tenant.id": { value: "acme" },
    "enduser.id": { value: "u-42" },
    other: { value: "x" },
  });
  tracer.startSpan("with-baggage", {}, propagation.setBaggage(ROOT_CONTEXT, baggage)).end();
  const parent = tracer.startSpan("without-baggage", {}, ROOT_CONTEXT);
  tracer.startSpan("child", {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
  parent.end();
  const [withBaggage, child, without] = exporter.getFinishedSpans();
  assert.equal(child?.attributes, { "k8s.cluster.name": "prod-eu-1", "service.version": "2.4.0" });
  assert.equal(withBaggage?.attributes, {
    "k8s.cluster.name": "prod-eu-1",
    "service.version": "2.4.0",
    "tenant.id": "acme",
    "enduser.id": "u-42",
  });
  assert.equal(without?.attributes, { "k8s.cluster.name": "prod-eu-1", "service.version": "2.4.0" });
});

test("the stamp keeps the SDK's limits: counted with the rest, dropped and counted at the count limit, truncated", () => {
  const limited = setup(false, { attributeCountLimit: 3, attributeValueLengthLimit: 4 });
  const span = limited.tracer.startSpan("op", { attributes: { a: "1", "service.version": "x" } }, ROOT_CONTEXT);
  // a, service.version (overwritten in place, not counted twice), k8s.cluster.name: the limit.
  span.setAttribute("late", "dropped by the count limit");
  span.end();
  const [finished] = limited.exporter.getFinishedSpans();
  assert.equal(finished?.attributes, { a: "1", "service.version": "2.4.", "k8s.cluster.name": "prod" });
  assert.is(finished?.droppedAttributesCount, 1);
  const full = setup(false, { attributeCountLimit: 2 });
  full.tracer.startSpan("op", { attributes: { a: "1", b: "2" } }, ROOT_CONTEXT).end();
  const [dropped] = full.exporter.getFinishedSpans();
  assert.equal(dropped?.attributes, { a: "1", b: "2" });
  assert.is(dropped?.droppedAttributesCount, 2);
});

test("redaction covers late attributes, events and the status message; allow list respected", () => {
  const { exporter, tracer } = setup(true);
  const span = tracer.startSpan(
    "op",
    { attributes: { "http.request.header.authorization": "Bearer abc" } },
    ROOT_CONTEXT,
  );
  span.setAttribute("customer.contact", "jane@example.com");
  span.setAttribute("support.email", "help@example.com");
  span.addEvent("payment", { "card.number": "4111111111111111", amount: 12 });
  span.setStatus({ code: SpanStatusCode.ERROR, message: "declined for jane@example.com" });
  span.end();
  const [done] = exporter.getFinishedSpans();
  assert.is(done?.attributes["customer.contact"], "[REDACTED:email]");
  assert.is(done?.attributes["support.email"], "help@example.com");
  assert.is(done?.attributes["http.request.header.authorization"], "[REDACTED]");
  assert.equal(done?.events[0]?.attributes, { "card.number": "[REDACTED:card]", amount: 12 });
  assert.is(done?.status.message, "declined for [REDACTED:email]");
});

test("with redaction off values pass unchanged", () => {
  const { exporter, tracer } = setup(false);
  tracer.startSpan("op", { attributes: { mail: "jane@example.com" } }, ROOT_CONTEXT).end();
  assert.is(exporter.getFinishedSpans()[0]?.attributes.mail, "jane@example.com");
});

test.run();
