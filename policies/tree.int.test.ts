// The committed tree passes the gate: every rendered cluster, the Terraform stacks and modules,
// and every chart (helm lint), with no unwaived error. This is what CI's gate step runs.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runGate } from "./gate.ts";

test("the committed clusters/, terraform/ and charts pass with no unwaived error", async () => {
  const result = await runGate({ root: join(import.meta.dirname, ".."), paths: [] });
  const open = result.findings.filter((f) => !f.waived && f.severity === "error");
  assert.equal(
    open.map((f) => `${f.file} ${f.kind} ${f.namespace}/${f.name} ${f.path}: ${f.message} [${f.rule}]`),
    [],
  );
  assert.ok(result.objects > 0, "no rendered object was checked");
});

test.run();
