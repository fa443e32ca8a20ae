import { test } from "uvu";
import * as assert from "uvu/assert";
import { median } from "./stats.ts";

test("median: the middle of an odd count, the mean of the two middles of an even one", () => {
  assert.is(median([5, 1, 3]), 3);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([7]), 7);
});

test("median: leaves its input as it was, and refuses no values", () => {
  const values = [3, 1, 2];
  median(values);
  assert.equal(values, [3, 1, 2]);
  assert.throws(() => median([]), /median of no values/);
});

test.run();
