import { test } from "uvu";
import * as assert from "uvu/assert";
import { shortDiff } from "./diff.ts";

test("shows removed and added lines with their line numbers", () => {
  assert.equal(shortDiff("a\nb\nc\n", "a\nB\nc\n"), ["-   2: b", "+   2: B"]);
});

test("identical texts give no lines", () => {
  assert.equal(shortDiff("a\nb\n", "a\nb\n"), []);
});

test("a long diff is cut, saying how much was left out", () => {
  const before = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
  const after = Array.from({ length: 30 }, (_, i) => `LINE ${i}`).join("\n");
  const lines = shortDiff(before, after, 4);
  assert.is(lines.length, 5);
  assert.is(lines[4], "  … 56 more changed lines");
});

test.run();
