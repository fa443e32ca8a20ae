// The tempo-storage module keeps the guarantees it exists for; its deliberately broken copy loses
// every one of them, which proves each check can fire.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { expressionText, nested, readModule } from "./lib/hcl.ts";
import { BROKEN_MODULE_DIR, MODULE_DIR } from "./lib/paths.ts";
import { storageSecurityProblems } from "./lib/security.ts";

test("module: private, KMS-encrypted, TLS-only, tidied, exact IRSA trust, no wildcards, tagged", async () => {
  assert.equal(storageSecurityProblems(await readModule(MODULE_DIR)), []);
});

test("broken copy: every guarantee is reported missing, with file and resource", async () => {
  const d = "terraform/tests/fixtures/broken-tempo-storage";
  assert.equal(storageSecurityProblems(await readModule(BROKEN_MODULE_DIR)), [
    `${d}/main.tf: aws_s3_bucket_public_access_block.traces: block_public_acls is not true`,
    `${d}/main.tf: aws_s3_bucket_public_access_block.traces: block_public_policy is not true`,
    `${d}/main.tf: aws_s3_bucket_public_access_block.traces: ignore_public_acls is not true`,
    `${d}/main.tf: aws_s3_bucket_public_access_block.traces: restrict_public_buckets is not true`,
    `${d}/main.tf: aws_s3_bucket_server_side_encryption_configuration.traces: sse_algorithm is "AES256", not aws:kms`,
    `${d}/main.tf: aws_s3_bucket_server_side_encryption_configuration.traces: kms_master_key_id is not this module's key ARN`,
    `${d}/main.tf: aws_s3_bucket_server_side_encryption_configuration.traces: bucket_key_enabled is not true`,
    `${d}/kms.tf: aws_kms_key.traces: enable_key_rotation is not true`,
    `${d}: no bucket policy statement denying s3:* when aws:SecureTransport is false`,
    `${d}: no enabled whole-bucket rule aborting incomplete multipart uploads after 1 day`,
    `${d}/iam.tf: aws_iam_role.tempo: trust is not bound by StringEquals to one exact system:serviceaccount:<ns>:<sa>`,
    `${d}/iam.tf: aws_iam_role.tempo: trust does not require audience sts.amazonaws.com`,
    `${d}/iam.tf: aws_iam_policy_document.tempo_access: allows the wildcard action s3:*`,
    `${d}/iam.tf: aws_iam_policy_document.tempo_access: allows on every resource ("*")`,
    `${d}/iam.tf: aws_iam_role.tempo: no tags`,
    `${d}/kms.tf: aws_kms_key.traces: no tags`,
    `${d}/main.tf: aws_s3_bucket.traces: no tags`,
  ]);
});

test("the lifecycle safety net expires objects only after Tempo's retention, and every S3 action Tempo needs is granted", async () => {
  const module = await readModule(MODULE_DIR);
  const lifecycle = module.resources.find((r) => r.labels[0] === "aws_s3_bucket_lifecycle_configuration");
  const expiry = nested(lifecycle?.body ?? {}, "rule").flatMap((r) => nested(r, "expiration"));
  assert.equal(
    expiry.map((e) => expressionText(e.days)),
    ["local.expiry_days"],
  );
  assert.is(expressionText(module.locals.expiry_days), "ceil(var.retention_hours / 24) + var.expiry_margin_days");

  const access = module.data.find((d) => d.labels[1] === "tempo_access");
  const granted = nested(access?.body ?? {}, "statement").flatMap((s) => s.actions as string[]);
  // Tempo's documented minimum for S3 (grafana.com/docs/tempo/latest/configuration/hosted-storage/s3).
  for (const action of [
    "s3:PutObject",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "s3:GetObjectTagging",
    "s3:PutObjectTagging",
  ]) {
    assert.ok(granted.includes(action), `Tempo's role lacks ${action}`);
  }
});

test("the key policy never lets an administrator decrypt or switch rotation off", async () => {
  const module = await readModule(MODULE_DIR);
  const admin = module.locals.key_admin_actions as string[];
  assert.ok(Array.isArray(admin) && admin.length > 10, "key_admin_actions not found");
  for (const action of admin) {
    assert.not.ok(action.includes("*"), `administrators get the wildcard ${action}`);
    assert.not.ok(
      ["kms:Decrypt", "kms:DisableKeyRotation", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:ReEncryptTo"].includes(
        action,
      ),
      `administrators get ${action}`,
    );
  }
  const key = module.resources.find((r) => r.labels[0] === "aws_kms_key");
  assert.is(expressionText(key?.body.policy), "data.aws_iam_policy_document.key.json");
});

test.run();
