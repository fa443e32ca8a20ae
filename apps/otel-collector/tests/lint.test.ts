// `helm lint --strict` passes for each mode's ci values, and fails when the values break the chart.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ENVS, helmLint } from "./render.ts";

for (const env of ENVS) {
  test(`helm lint --strict passes with ci/${env}-values.yaml`, async () => {
    const result = await helmLint(env);
    assert.ok(result.ok, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, "1 chart(s) linted, 0 chart(s) failed");
  });
}

test("helm lint --strict fails on values the schema rejects", async () => {
  const result = await helmLint("dev", { mode: "daemonset" });
  assert.not.ok(result.ok);
  assert.match(`${result.stdout}${result.stderr}`, "/mode");
});

test.run();
