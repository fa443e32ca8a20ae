import { terraformRule } from "../../engine/define.ts";
import { nested, resources } from "../../engine/terraform.ts";
import { list, obj } from "../../engine/workloads.ts";

/** AWS resource types this repository creates that accept tags. */
export const TAGGABLE = new Set([
  "aws_s3_bucket",
  "aws_kms_key",
  "aws_iam_role",
  "aws_iam_policy",
  "aws_iam_openid_connect_provider",
  "aws_cloudwatch_log_group",
  "aws_sns_topic",
  "aws_sqs_queue",
  "aws_dynamodb_table",
]);

export default terraformRule({
  id: "tf-required-tags",
  severity: "error",
  title: "Taggable AWS resources carry the platform's tags",
  rationale: "Untagged resources cannot be attributed to an environment or owner in cost reports, audits or clean-ups.",
  remediation:
    "Set tags = local.tags (var.tags merged with environment, cluster, managed-by, component) or provider default_tags.",
  check(module) {
    const defaultTags = module.files.some(({ hcl }) =>
      list(obj(hcl.provider).aws).some((p) => nested(obj(p), "default_tags").length > 0),
    );
    if (defaultTags) return [];
    return resources(module)
      .filter((r) => TAGGABLE.has(r.type))
      .filter(
        (r) =>
          r.body.tags === undefined || (typeof r.body.tags === "object" && Object.keys(obj(r.body.tags)).length === 0),
      )
      .map((r) => ({ file: r.file, address: r.address, path: "tags", message: `${r.address} has no tags` }));
  },
});
