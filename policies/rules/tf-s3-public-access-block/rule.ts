import { terraformRule } from "../../engine/define.ts";
import { isTrue, refersTo, resources } from "../../engine/terraform.ts";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export default terraformRule({
  id: "tf-s3-public-access-block",
  severity: "error",
  title: "S3 buckets block every form of public access",
  rationale:
    "One missing flag is enough for a public ACL or policy to expose trace data (which carries request payloads and user ids).",
  remediation: `Add an aws_s3_bucket_public_access_block for the bucket with ${FLAGS.join(", ")} all = true.`,
  check(module) {
    const blocks = resources(module, "aws_s3_bucket_public_access_block");
    return resources(module, "aws_s3_bucket").flatMap((bucket) => {
      const block = blocks.find((b) => refersTo(b.body.bucket, bucket.address));
      if (!block)
        return [
          {
            file: bucket.file,
            address: bucket.address,
            path: "",
            message: `bucket ${bucket.address} has no aws_s3_bucket_public_access_block`,
          },
        ];
      const off = FLAGS.filter((flag) => !isTrue(block.body[flag]));
      return off.length === 0
        ? []
        : [
            {
              file: block.file,
              address: block.address,
              path: off[0] ?? "",
              message: `${off.join(", ")} not set to true`,
            },
          ];
    });
  },
});
