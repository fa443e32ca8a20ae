// LinkedContext (src/linked-context.ts) holds what the API's own contexts hold: random sequences
// of setValue and deleteValue, each applied to a random earlier context (so chains branch), run
// through both, starting from LinkedContext.empty() and from ROOT_CONTEXT; afterwards every
// context of the sequence, on both sides, must give the same value for every key. Sequences are
// long enough to fold chains many times over (beyond 16 links).
import { type Context, context, createContextKey, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import {
  isTracingSuppressed,
  suppressTracing,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from "@opentelemetry/core";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LeanContextManager } from "../src/context-manager.ts";
import { LinkedContext } from "../src/linked-context.ts";

context.setGlobalContextManager(new LeanContextManager().enable());

const KEYS = ["a", "b", "c", "d", "e", "f"].map((name) => createContextKey(name));
const VALUES: unknown[] = [1, 0, "x", "", null, false, { o: 1 }, undefined];

/** A small deterministic generator (mulberry32), so that a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(next() * items.length)] as T;
}

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`same values as ROOT_CONTEXT after 400 random operations (seed ${seed})`, () => {
    const next = random(seed);
    const linked: Context[] = [LinkedContext.empty()];
    const reference: Context[] = [ROOT_CONTEXT];
    for (let step = 0; step < 400; step++) {
      // Mostly the newest context (deep chains), sometimes an older one (branches).
      const from = next() < 0.7 ? linked.length - 1 : Math.floor(next() * linked.length);
      const key = pick(KEYS, next);
      if (next() < 0.25) {
        linked.push((linked[from] as Context).deleteValue(key));
        reference.push((reference[from] as Context).deleteValue(key));
      } else {
        const value = pick(VALUES, next);
        linked.push((linked[from] as Context).setValue(key, value));
        reference.push((reference[from] as Context).setValue(key, value));
      }
    }
    for (let i = 0; i < linked.length; i++)
      for (const key of KEYS)
        assert.is(
          (linked[i] as Context).getValue(key),
          (reference[i] as Context).getValue(key),
          `context ${i}, key ${key.toString()}`,
        );
  });
}

test("a context is left unchanged by what is derived from it, past the folding point too", () => {
  const [key, other] = KEYS as [symbol, symbol];
  let chain: Context = LinkedContext.empty().setValue(key, "first");
  const kept = chain;
  for (let i = 0; i < 40; i++) chain = chain.setValue(other, i);
  chain = chain.deleteValue(key);
  assert.is(kept.getValue(key), "first");
  assert.is(kept.getValue(other), undefined);
  assert.is(chain.getValue(key), undefined);
  assert.is(chain.getValue(other), 39);
});

test("the API's helpers work on it: spans, baggage, suppression, propagation in and out", () => {
  const propagator = new W3CTraceContextPropagator();
  const baggage = new W3CBaggagePropagator();
  const headers = {
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    baggage: "tenant=acme",
  };
  const getter = { keys: Object.keys, get: (carrier: Record<string, string>, key: string) => carrier[key] };
  const extracted = baggage.extract(propagator.extract(LinkedContext.empty(), headers, getter), headers, getter);
  assert.instance(extracted, LinkedContext);
  assert.is(trace.getSpanContext(extracted)?.traceId, "0af7651916cd43dd8448eb211c80319c");
  assert.is(propagation.getBaggage(extracted)?.getEntry("tenant")?.value, "acme");
  const out: Record<string, string> = {};
  propagator.inject(extracted, out, { set: (carrier, key, value) => (carrier[key] = value) });
  assert.is(out.traceparent, headers.traceparent);
  assert.ok(isTracingSuppressed(suppressTracing(extracted)));
  assert.not.ok(isTracingSuppressed(extracted));
  context.with(extracted, () => assert.is(context.active(), extracted));
});

test.run();
