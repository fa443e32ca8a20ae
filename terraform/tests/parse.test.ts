// Every .tf file of the Terraform tree parses offline, and a syntax error is reported with its file.
import { readFile } from "node:fs/promises";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findTfFiles, HclParseError, moduleFromText, parseHcl, readModule, repoPath } from "./lib/hcl.ts";
import { BROKEN_MODULE_DIR, ENVIRONMENTS, environmentDir, MODULE_DIR, TERRAFORM_DIR } from "./lib/paths.ts";

test("every .tf file under terraform/ parses (module, stacks, fixtures)", async () => {
  const files = await findTfFiles(TERRAFORM_DIR);
  // module (6) + three stacks (5 each) + the broken copy (6); a lost file shows up here.
  assert.ok(files.length >= 27, `found only ${files.length} .tf files`);
  for (const file of files) {
    const doc = await parseHcl(repoPath(file), await readFile(file, "utf8"));
    assert.ok(Object.keys(doc).length > 0, `${repoPath(file)} parsed to nothing`);
  }
});

test("the module and each stack read as modules with the expected parts", async () => {
  const module = await readModule(MODULE_DIR);
  assert.equal(
    module.files.map((f) => f.split("/").pop()),
    ["iam.tf", "kms.tf", "main.tf", "outputs.tf", "variables.tf", "versions.tf"],
  );
  assert.ok(module.resources.some((r) => r.labels[0] === "aws_s3_bucket"));
  for (const env of ENVIRONMENTS) {
    const stack = await readModule(environmentDir(env));
    assert.equal(stack.modules.length, 1, `${env}: one module call`);
    assert.equal(stack.providers.length, 1, `${env}: one provider block`);
  }
  const broken = await readModule(BROKEN_MODULE_DIR);
  assert.ok(broken.resources.length > 5, "the broken copy is a whole module, not a stub");
});

test("a syntax error names the file and the position", async () => {
  try {
    await parseHcl("terraform/x/bad.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n');
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, HclParseError);
    assert.match((error as Error).message, /^terraform\/x\/bad\.tf: not valid HCL: .*bad\.tf:2/);
  }
});

test("an unclosed block is rejected too", async () => {
  try {
    await moduleFromText({ "open.tf": 'variable "x" {\n  type = string\n' });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, HclParseError);
    assert.match((error as Error).message, /open\.tf/);
  }
});

test.run();
