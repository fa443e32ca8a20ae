import { terraformRule } from "../../engine/define.ts";
import { nested, policyStatements, refersTo, resources, strings } from "../../engine/terraform.ts";
import type { TerraformModule } from "../../engine/types.ts";

/** Policy documents (by address) holding a Deny on aws:SecureTransport = false. */
function tlsDenyDocuments(module: TerraformModule): Set<string> {
  const out = new Set<string>();
  for (const { document, statement } of policyStatements(module)) {
    if (String(statement.effect) !== "Deny") continue;
    const denies = nested(statement, "condition").some(
      (c) => c.variable === "aws:SecureTransport" && strings(c.values).includes("false"),
    );
    if (denies) out.add(document.address);
  }
  return out;
}

export default terraformRule({
  id: "tf-s3-tls-only",
  severity: "error",
  title: "S3 bucket policies deny requests without TLS",
  rationale:
    "S3 still answers plain HTTP; only a bucket policy denying aws:SecureTransport = false keeps traces off the wire in clear.",
  remediation:
    'Attach an aws_s3_bucket_policy with a Deny on s3:* for the bucket and bucket/* when aws:SecureTransport is "false".',
  check(module) {
    const documents = tlsDenyDocuments(module);
    const policies = resources(module, "aws_s3_bucket_policy");
    return resources(module, "aws_s3_bucket").flatMap((bucket) => {
      const enforced = policies.some((p) => {
        if (!refersTo(p.body.bucket, bucket.address)) return false;
        const text = String(p.body.policy ?? "");
        if ([...documents].some((d) => refersTo(text, d))) return true;
        return /aws:SecureTransport/.test(text) && /Deny/.test(text) && /false/.test(text); // inline jsonencode(…)
      });
      return enforced
        ? []
        : [
            {
              file: bucket.file,
              address: bucket.address,
              path: "",
              message: `no bucket policy denies non-TLS access to ${bucket.address}`,
            },
          ];
    });
  },
});
