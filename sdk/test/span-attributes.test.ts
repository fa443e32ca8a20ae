// setPlainAttribute (src/span-attributes.ts) leaves a span as Span.setAttribute would: for each
// case, one span gets the value through each, and the attributes, the dropped count and whether
// the span is still recording must agree.
import type { AttributeValue } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { setPlainAttribute } from "../src/span-attributes.ts";

const exporter = new InMemorySpanExporter();
const tracer = new TracerProvider({
  spanLimits: { attributeCountLimit: 3, attributeValueLengthLimit: 8 },
  spanProcessors: [new SimpleSpanProcessor({ exporter })],
}).getTracer("t");

interface Case {
  name: string;
  key: string;
  value: string | number | boolean | undefined;
  /** Attributes the span starts with (the limit is 3). */
  start?: Record<string, AttributeValue>;
  ended?: boolean;
}
const cases: Case[] = [
  { name: "a new string", key: "a", value: "short" },
  { name: "a string over the length limit", key: "a", value: "much too long" },
  { name: "a number", key: "http.response.status_code", value: 503 },
  { name: "zero", key: "n", value: 0 },
  { name: "a boolean", key: "b", value: false },
  { name: "undefined", key: "u", value: undefined },
  { name: "an empty key", key: "", value: "x" },
  { name: "overwriting at the count limit", key: "x", value: "new", start: { x: "old", y: 1, z: 2 } },
  { name: "a new key at the count limit", key: "w", value: "new", start: { x: "old", y: 1, z: 2 } },
  { name: "an ended span", key: "late", value: "x", ended: true },
];

function outcome(c: Case, set: (span: Parameters<typeof setPlainAttribute>[0]) => void) {
  exporter.reset();
  const span = tracer.startSpan("s", { attributes: c.start });
  if (c.ended) span.end();
  set(span);
  if (!c.ended) span.end();
  const [done] = exporter.getFinishedSpans() as ReadableSpan[];
  return { attributes: done?.attributes, dropped: done?.droppedAttributesCount };
}

for (const c of cases)
  test(`same as setAttribute: ${c.name}`, () => {
    const ours = outcome(c, (span) => setPlainAttribute(span, c.key, c.value));
    const theirs = outcome(c, (span) => span.setAttribute(c.key, c.value as AttributeValue));
    assert.equal(ours, theirs);
  });

test("the cases see truncation, the count limit and the ended span", () => {
  assert.equal(outcome(cases[1] as Case, (s) => setPlainAttribute(s, "a", "much too long")).attributes, {
    a: "much too",
  });
  assert.is(outcome(cases[8] as Case, (s) => setPlainAttribute(s, "w", "new")).dropped, 1);
  assert.equal(outcome(cases[9] as Case, (s) => setPlainAttribute(s, "late", "x")).attributes, {});
});

test.run();
