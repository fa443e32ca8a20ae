import { terraformRule } from "../../engine/define.ts";
import { nested, refersTo, resources } from "../../engine/terraform.ts";

export default terraformRule({
  id: "tf-s3-abort-multipart",
  severity: "error",
  title: "S3 lifecycle aborts incomplete multipart uploads",
  rationale:
    "Tempo uploads blocks in parts; parts of uploads that never complete are billed forever and invisible in listings.",
  remediation: "Add an Enabled lifecycle rule with abort_incomplete_multipart_upload { days_after_initiation = 1 }.",
  check(module) {
    const configs = resources(module, "aws_s3_bucket_lifecycle_configuration");
    return resources(module, "aws_s3_bucket").flatMap((bucket) => {
      const config = configs.find((c) => refersTo(c.body.bucket, bucket.address));
      const aborts = nested(config?.body ?? {}, "rule").some(
        (r) =>
          r.status === "Enabled" &&
          nested(r, "abort_incomplete_multipart_upload").some((a) => a.days_after_initiation !== undefined),
      );
      if (aborts) return [];
      const where = config ?? bucket;
      return [
        {
          file: where.file,
          address: where.address,
          path: config ? "rule" : "",
          message: `no enabled lifecycle rule aborts incomplete multipart uploads for ${bucket.address}`,
        },
      ];
    });
  },
});
