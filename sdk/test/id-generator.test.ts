// Trace and span ids: the right length and alphabet, never the invalid all-zero id, and distinct
// across many pool refills (a stuck or reused pool would repeat ids).
import { randomFillSync } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CryptoIdGenerator } from "../src/id-generator.ts";

test("trace ids are 32 and span ids 16 lowercase hex characters", () => {
  const ids = new CryptoIdGenerator();
  for (let i = 0; i < 1000; i++) {
    assert.match(ids.generateTraceId(), /^[0-9a-f]{32}$/);
    assert.match(ids.generateSpanId(), /^[0-9a-f]{16}$/);
  }
});

test("ids do not repeat across pool refills, and every hex digit occurs", () => {
  const ids = new CryptoIdGenerator();
  const seen = new Set<string>();
  // 100,000 of each is about 600 refills of the 4 KiB pool.
  for (let i = 0; i < 100_000; i++) {
    seen.add(ids.generateTraceId());
    seen.add(ids.generateSpanId());
  }
  assert.is(seen.size, 200_000);
  const digits = new Set([...seen].join(""));
  assert.is(digits.size, 16);
});

test("two generators draw independent ids", () => {
  const a = new CryptoIdGenerator();
  const b = new CryptoIdGenerator();
  assert.is.not(a.generateTraceId(), b.generateTraceId());
});

test("all-zero draws are skipped rather than returned", () => {
  let refills = 0;
  // The first pool comes back all zeros, as a broken or hostile source might deliver.
  const ids = new CryptoIdGenerator((buffer) => (refills++ === 0 ? buffer.fill(0) : randomFillSync(buffer)));
  assert.is.not(ids.generateSpanId(), "0000000000000000");
  assert.is.not(ids.generateTraceId(), "00000000000000000000000000000000");
  assert.is(refills, 2);
});

test.run();
