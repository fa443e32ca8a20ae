import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareTrees, foldersOf } from "./tree.ts";

test("compareTrees sorts paths into missing, extra and changed", () => {
  const expected = new Map([
    ["clusters/dev/a.yaml", "1"],
    ["clusters/dev/b.yaml", "2"],
    ["clusters/dev/c.yaml", "3"],
  ]);
  const actual = new Map([
    ["clusters/dev/b.yaml", "2"],
    ["clusters/dev/c.yaml", "three"],
    ["clusters/dev/z.yaml", "0"],
  ]);
  assert.equal(compareTrees(expected, actual), {
    missing: ["clusters/dev/a.yaml"],
    extra: ["clusters/dev/z.yaml"],
    changed: ["clusters/dev/c.yaml"],
    unchanged: 1,
  });
});

test("foldersOf lists the app folders of one cluster only", () => {
  const folders = foldersOf(
    ["clusters/dev/tempo/a.yaml", "clusters/dev/argocd/b.yaml", "clusters/dev/loose.yaml", "clusters/prod/x/c.yaml"],
    "dev",
  );
  assert.equal([...folders].sort(), ["argocd", "tempo"]);
});

test.run();
