// `terraform fmt -check -recursive` over terraform/, with the real binary when this machine has one.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { TERRAFORM_DIR } from "./lib/paths.ts";
import { findTerraform, runTerraform } from "./lib/terraform.ts";

const terraform = findTerraform();

if (!terraform) {
  test("terraform fmt (skipped)", () => {
    console.log("  SKIP: no terraform or tofu binary on PATH; the GitHub workflow runs fmt -check");
  });
} else {
  test("every .tf file under terraform/ is in canonical format", () => {
    const result = runTerraform(terraform, ["fmt", "-check", "-recursive", "-no-color", "."], TERRAFORM_DIR);
    assert.is(
      result.status,
      0,
      `terraform fmt would rewrite (run \`terraform fmt -recursive terraform\`):\n${result.output}`,
    );
  });

  test("fmt -check fires on a misaligned file and names it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tf-fmt-"));
    try {
      await writeFile(
        join(dir, "main.tf"),
        'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n    force_destroy=false\n}\n',
      );
      const result = runTerraform(terraform, ["fmt", "-check", "-recursive", "-no-color", "."], dir);
      assert.is.not(result.status, 0);
      assert.match(result.output, /main\.tf/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

test.run();
