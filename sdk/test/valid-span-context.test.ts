// isValidSpanContext answers as trace.isSpanContextValid does, whatever order it is asked in:
// remembering the last valid context must not make another, invalid one pass.
import { INVALID_SPAN_CONTEXT, type SpanContext, TraceFlags, trace } from "@opentelemetry/api";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isValidSpanContext } from "../src/valid-span-context.ts";

const context = (traceId: string, spanId: string): SpanContext => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED });
const CONTEXTS: SpanContext[] = [
  context("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"),
  INVALID_SPAN_CONTEXT,
  context("0af7651916cd43dd8448eb211c80319c", "0000000000000000"),
  context("00000000000000000000000000000000", "b7ad6b7169203331"),
  context("0af7651916cd43dd8448eb211c80319", "b7ad6b7169203331"),
  context("0af7651916cd43dd8448eb211c80319g", "b7ad6b7169203331"),
  context("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
];

test("the same answer as the API's, in every order, asked again and again", () => {
  const expected = CONTEXTS.map((c) => trace.isSpanContextValid(c));
  assert.equal(expected, [true, false, false, false, false, false, true]);
  for (let round = 0; round < 3; round++)
    for (const order of [CONTEXTS, [...CONTEXTS].reverse()])
      for (const c of order) {
        assert.is(isValidSpanContext(c), trace.isSpanContextValid(c), JSON.stringify(c));
        assert.is(isValidSpanContext(c), trace.isSpanContextValid(c), `asked again: ${JSON.stringify(c)}`);
      }
});

test("an invalid context asked right after a valid one with the same ids but another object", () => {
  const valid = context("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
  assert.ok(isValidSpanContext(valid));
  assert.not.ok(isValidSpanContext({ ...valid, spanId: "0000000000000000" }));
  assert.ok(isValidSpanContext({ ...valid }));
});

test.run();
