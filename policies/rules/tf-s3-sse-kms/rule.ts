import { terraformRule } from "../../engine/define.ts";
import { nested, refersTo, resources } from "../../engine/terraform.ts";

export default terraformRule({
  id: "tf-s3-sse-kms",
  severity: "error",
  title: "S3 buckets encrypt by default with a customer-managed KMS key",
  rationale: "SSE-S3 (AES256) or the AWS-managed key cannot be scoped by key policy, rotated on our terms or revoked.",
  remediation:
    'Add aws_s3_bucket_server_side_encryption_configuration with sse_algorithm = "aws:kms" and kms_master_key_id = the module\'s aws_kms_key ARN.',
  check(module) {
    const configs = resources(module, "aws_s3_bucket_server_side_encryption_configuration");
    return resources(module, "aws_s3_bucket").flatMap((bucket) => {
      const config = configs.find((c) => refersTo(c.body.bucket, bucket.address));
      if (!config)
        return [
          {
            file: bucket.file,
            address: bucket.address,
            path: "",
            message: `bucket ${bucket.address} has no default encryption configuration`,
          },
        ];
      const defaults = nested(config.body, "rule").flatMap((r) => nested(r, "apply_server_side_encryption_by_default"));
      const good = defaults.some(
        (d) =>
          String(d.sse_algorithm).startsWith("aws:kms") &&
          typeof d.kms_master_key_id === "string" &&
          d.kms_master_key_id !== "",
      );
      if (good) return [];
      const algorithm = defaults.map((d) => String(d.sse_algorithm)).join(", ") || "none";
      return [
        {
          file: config.file,
          address: config.address,
          path: "rule.apply_server_side_encryption_by_default",
          message: `default encryption is ${algorithm}, not aws:kms with a customer key (kms_master_key_id)`,
        },
      ];
    });
  },
});
