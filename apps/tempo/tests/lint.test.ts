import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CHART_DIR, ciValues, helm, KUBE_VERSION, type Mode, NAMESPACE } from "./render.ts";

function lint(valuesFile: string) {
  return helm([
    "lint",
    "--strict",
    CHART_DIR,
    "--namespace",
    NAMESPACE,
    "--kube-version",
    KUBE_VERSION,
    "-f",
    valuesFile,
  ]);
}

for (const mode of ["dev", "staging", "prod"] as Mode[]) {
  test(`helm lint --strict passes with ci/${mode}-values.yaml`, () => {
    const result = lint(ciValues(mode));
    assert.is(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
}

test("helm lint --strict fails on values the schema rejects (proves the lint step can fail)", () => {
  const dir = mkdtempSync(join(tmpdir(), "tempo-lint-"));
  try {
    const bad = join(dir, "bad-values.yaml");
    writeFileSync(
      bad,
      "cluster: {name: greenlang-dev-euw1, environment: dev}\nmode: monolithic\nstorage: {backend: local, retension: 72h}\n",
    );
    const result = lint(bad);
    assert.is.not(result.status, 0);
    assert.match(result.stdout + result.stderr, /retension/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
