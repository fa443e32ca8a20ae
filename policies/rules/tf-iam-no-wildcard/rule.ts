import { terraformRule } from "../../engine/define.ts";
import { policyStatements, refersTo, resources, strings } from "../../engine/terraform.ts";
import type { TerraformModule } from "../../engine/types.ts";

/** In a key policy "*" means "this key": documents attached to aws_kms_key.policy may use it as resource. */
function keyPolicyDocuments(module: TerraformModule): Set<string> {
  const keys = resources(module, "aws_kms_key").map((k) => String(k.body.policy ?? ""));
  const documents = policyStatements(module).map((s) => s.document.address);
  return new Set(documents.filter((d) => keys.some((policy) => refersTo(policy, d))));
}

export default terraformRule({
  id: "tf-iam-no-wildcard",
  severity: "error",
  title: "IAM policies grant no wildcard actions or resources",
  rationale:
    "`s3:*` or Resource `*` grants far more than Tempo needs: deleting buckets, changing policies, reading other data.",
  remediation: "List the exact actions (s3:GetObject, s3:PutObject…) and the exact ARNs (bucket, bucket/*, the key).",
  check(module) {
    const keyPolicies = keyPolicyDocuments(module);
    const out = [];
    for (const { document, statement, index } of policyStatements(module)) {
      if (String(statement.effect ?? "Allow") !== "Allow") continue; // a Deny with s3:* narrows access
      const where = { file: document.file, address: document.address };
      const actions = strings(statement.actions).filter((a) => a.includes("*"));
      if (actions.length > 0)
        out.push({
          ...where,
          path: `statement[${index}].actions`,
          message: `allows wildcard actions ${actions.join(", ")}`,
        });
      if (!keyPolicies.has(document.address) && strings(statement.resources).includes("*")) {
        out.push({ ...where, path: `statement[${index}].resources`, message: "allows every resource (*)" });
      }
    }
    for (const type of ["aws_iam_policy", "aws_iam_role_policy"]) {
      for (const policy of resources(module, type)) {
        const text = String(policy.body.policy ?? "");
        if (text.includes("jsonencode") && /(Action|Resource)\s*=\s*(\[\s*)?"[^"]*\*/.test(text)) {
          out.push({
            file: policy.file,
            address: policy.address,
            path: "policy",
            message: "inline policy uses a wildcard action or resource",
          });
        }
      }
    }
    return out;
  },
});
