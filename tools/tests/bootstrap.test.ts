import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT } from "./toolchain.ts";

test("bootstrap: a second run changes nothing (every step reports up to date)", () => {
  const started = process.hrtime.bigint();
  const result = spawnSync("bash", [join(ROOT, "tools", "bootstrap.sh")], { cwd: ROOT, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.is(result.status, 0, result.stderr);
  const lines = result.stdout.split("\n").filter((line) => line.includes("bootstrap"));
  for (const step of ["node:", "npm:", "helm:", "otelcol:", "jaeger:", "kubeconform:"]) {
    assert.ok(lines.some((line) => line.includes(step)), `no line for ${step}\n${result.stdout}`);
  }
  const work = lines.filter((line) => /building|installing|fetching|restored/.test(line));
  assert.equal(work, [], "a second bootstrap run did work");
  // Reported, not asserted: speed belongs in benchmarks (the README quotes the figure).
  console.log(`  second bootstrap run: ${ms.toFixed(0)} ms`);
});

test("bootstrap: refuses a Go older than the pinned tools need, naming the fix", () => {
  const fakeBin = join(ROOT, "tools", "tests", "fixtures", "old-go");
  const result = spawnSync("bash", [join(ROOT, "tools", "bootstrap.sh"), "tools"], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${fakeBin}:${process.env.PATH}` },
  });
  assert.is.not(result.status, 0);
  assert.match(result.stderr, /Go 1\.21\.0 is too old: the pinned tools need Go 1\.26 or newer/);
});

test.run();
