import { terraformRule } from "../../engine/define.ts";
import { locals, nested, policyStatements, resolveLocals, resources, strings } from "../../engine/terraform.ts";

/** Namespace and service-account segments may be interpolations but never patterns. */
const EXACT_SUBJECT = /^system:serviceaccount:([^:*?]+):([^:*?]+)$/;

export default terraformRule({
  id: "tf-irsa-exact-subject",
  severity: "error",
  title: "IRSA trust names exactly one service account",
  rationale:
    "A pattern (StringLike, *) in the :sub condition lets any pod of the cluster, in any namespace, assume the role.",
  remediation:
    'Use condition { test = "StringEquals", variable = "<issuer>:sub", values = ["system:serviceaccount:<ns>:<sa>"] }.',
  check(module) {
    const values = locals(module);
    const out = [];
    for (const { document, statement, index } of policyStatements(module)) {
      if (!strings(statement.actions).includes("sts:AssumeRoleWithWebIdentity")) continue;
      const where = { file: document.file, address: document.address };
      const subjects = nested(statement, "condition").filter((c) => String(c.variable).endsWith(":sub"));
      if (subjects.length === 0) {
        out.push({
          ...where,
          path: `statement[${index}].condition`,
          message: "web-identity trust has no :sub condition",
        });
        continue;
      }
      for (const condition of subjects) {
        const bad = strings(condition.values)
          .map((v) => resolveLocals(v, values))
          .filter((v) => !EXACT_SUBJECT.test(v));
        if (condition.test !== "StringEquals" || bad.length > 0) {
          out.push({
            ...where,
            path: `statement[${index}].condition`,
            message: `:sub is matched with ${String(condition.test)} on ${strings(condition.values).join(", ")}; expected StringEquals on system:serviceaccount:<ns>:<sa>`,
          });
        }
      }
    }
    // Trust policies written inline with jsonencode(…) stay unevaluated strings: check their text.
    for (const role of resources(module, "aws_iam_role")) {
      const text = String(role.body.assume_role_policy ?? "");
      if (!text.includes("jsonencode") || !text.includes("AssumeRoleWithWebIdentity")) continue;
      if (/StringLike/.test(text) || /system:serviceaccount:[^"]*\*/.test(text)) {
        out.push({
          file: role.file,
          address: role.address,
          path: "assume_role_policy",
          message: "inline web-identity trust uses a pattern on the service-account subject",
        });
      }
    }
    return out;
  },
});
