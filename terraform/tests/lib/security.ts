// The storage module's security properties, read from its parsed HCL: the settings this module
// exists to guarantee. The gate's Terraform rules (policies/, `npm run validate`) check the same
// ground generically; this is the module's own regression net, and it holds while the gate is absent.
import { type Block, expressionText, type HclBody, nested, type TerraformModule } from "./hcl.ts";

const TAGGABLE = ["aws_s3_bucket", "aws_kms_key", "aws_iam_role"];

function resources(module: TerraformModule, type: string): Block[] {
  return module.resources.filter((r) => r.labels[0] === type);
}

function address(block: Block): string {
  return `${block.file}: ${block.labels.join(".")}`;
}

/** The data.aws_iam_policy_document an attribute points at ("${data.aws_iam_policy_document.x.json}"). */
function policyDocument(module: TerraformModule, reference: unknown): Block | undefined {
  const match = /^data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json$/.exec(expressionText(reference) ?? "");
  return match
    ? module.data.find((d) => d.labels[0] === "aws_iam_policy_document" && d.labels[1] === match[1])
    : undefined;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v) => typeof v === "string") : []);

function publicAccessProblems(module: TerraformModule): string[] {
  const blocks = resources(module, "aws_s3_bucket_public_access_block");
  if (blocks.length === 0) return [`${module.dir}: no aws_s3_bucket_public_access_block`];
  const flags = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
  return blocks.flatMap((b) => flags.filter((f) => b.body[f] !== true).map((f) => `${address(b)}: ${f} is not true`));
}

function ownershipProblems(module: TerraformModule): string[] {
  const blocks = resources(module, "aws_s3_bucket_ownership_controls");
  const enforced = blocks.some((b) => nested(b.body, "rule").some((r) => r.object_ownership === "BucketOwnerEnforced"));
  return enforced ? [] : [`${module.dir}: object ownership is not BucketOwnerEnforced (ACLs stay on)`];
}

function encryptionProblems(module: TerraformModule): string[] {
  const blocks = resources(module, "aws_s3_bucket_server_side_encryption_configuration");
  if (blocks.length === 0) return [`${module.dir}: no default encryption`];
  const problems: string[] = [];
  for (const block of blocks) {
    for (const rule of nested(block.body, "rule")) {
      for (const sse of nested(rule, "apply_server_side_encryption_by_default")) {
        if (sse.sse_algorithm !== "aws:kms")
          problems.push(`${address(block)}: sse_algorithm is ${JSON.stringify(sse.sse_algorithm)}, not aws:kms`);
        if (!/^aws_kms_key\.[A-Za-z0-9_-]+\.arn$/.test(expressionText(sse.kms_master_key_id) ?? ""))
          problems.push(`${address(block)}: kms_master_key_id is not this module's key ARN`);
      }
      if (rule.bucket_key_enabled !== true) problems.push(`${address(block)}: bucket_key_enabled is not true`);
    }
  }
  return problems;
}

function rotationProblems(module: TerraformModule): string[] {
  const keys = resources(module, "aws_kms_key");
  if (keys.length === 0) return [`${module.dir}: no customer-managed KMS key`];
  return keys
    .filter((k) => k.body.enable_key_rotation !== true)
    .map((k) => `${address(k)}: enable_key_rotation is not true`);
}

function tlsOnlyProblems(module: TerraformModule): string[] {
  const denies = resources(module, "aws_s3_bucket_policy").some((policy) =>
    nested(policyDocument(module, policy.body.policy)?.body ?? {}, "statement").some(
      (s) =>
        s.effect === "Deny" &&
        strings(s.actions).includes("s3:*") &&
        strings(s.resources).length === 2 &&
        nested(s, "principals").some((p) => p.type === "*" && strings(p.identifiers).includes("*")) &&
        nested(s, "condition").some(
          (c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && strings(c.values).join() === "false",
        ),
    ),
  );
  return denies ? [] : [`${module.dir}: no bucket policy statement denying s3:* when aws:SecureTransport is false`];
}

function multipartProblems(module: TerraformModule): string[] {
  const rules = resources(module, "aws_s3_bucket_lifecycle_configuration").flatMap((b) => nested(b.body, "rule"));
  const aborts = rules.some(
    (r) =>
      r.status === "Enabled" &&
      nested(r, "abort_incomplete_multipart_upload").some((a) => a.days_after_initiation === 1) &&
      nested(r, "filter").every((f) => Object.keys(f).length === 0),
  );
  return aborts
    ? []
    : [`${module.dir}: no enabled whole-bucket rule aborting incomplete multipart uploads after 1 day`];
}

function trustProblems(module: TerraformModule): string[] {
  const roles = resources(module, "aws_iam_role");
  if (roles.length === 0) return [`${module.dir}: no IRSA role`];
  const problems: string[] = [];
  for (const role of roles) {
    const statements = nested(policyDocument(module, role.body.assume_role_policy)?.body ?? {}, "statement");
    const conditions = statements.flatMap((s) => nested(s, "condition"));
    const sub = conditions.filter((c) => String(c.variable).endsWith(":sub"));
    const aud = conditions.filter((c) => String(c.variable).endsWith(":aud"));
    const exact = (c: HclBody) =>
      c.test === "StringEquals" &&
      strings(c.values).length === 1 &&
      /^system:serviceaccount:\$\{var\.[a-z_]+\}:\$\{var\.[a-z_]+\}$|^\$\{local\.[a-z_]+\}$/.test(
        strings(c.values)[0] ?? "",
      );
    if (sub.length === 0 || !sub.every(exact))
      problems.push(
        `${address(role)}: trust is not bound by StringEquals to one exact system:serviceaccount:<ns>:<sa>`,
      );
    if (!aud.some((c) => c.test === "StringEquals" && strings(c.values).join() === "sts.amazonaws.com"))
      problems.push(`${address(role)}: trust does not require audience sts.amazonaws.com`);
    if (!statements.every((s) => strings(s.actions).join() === "sts:AssumeRoleWithWebIdentity"))
      problems.push(`${address(role)}: trust allows more than sts:AssumeRoleWithWebIdentity`);
  }
  return problems;
}

/** Allow statements of identity policies (role policies): no wildcard action, no bare "*" resource. */
function wildcardProblems(module: TerraformModule): string[] {
  const problems: string[] = [];
  for (const attached of resources(module, "aws_iam_role_policy")) {
    const doc = policyDocument(module, attached.body.policy);
    if (!doc) {
      problems.push(`${address(attached)}: policy is not a data.aws_iam_policy_document`);
      continue;
    }
    for (const statement of nested(doc.body, "statement")) {
      if ((statement.effect ?? "Allow") !== "Allow") continue;
      for (const action of strings(statement.actions).filter((a) => a.includes("*")))
        problems.push(`${address(doc)}: allows the wildcard action ${action}`);
      if (strings(statement.resources).includes("*")) problems.push(`${address(doc)}: allows on every resource ("*")`);
    }
  }
  return problems;
}

function tagProblems(module: TerraformModule): string[] {
  return module.resources
    .filter((r) => TAGGABLE.includes(r.labels[0] as string) && !("tags" in r.body))
    .map((r) => `${address(r)}: no tags`);
}

export function storageSecurityProblems(module: TerraformModule): string[] {
  return [
    ...publicAccessProblems(module),
    ...ownershipProblems(module),
    ...encryptionProblems(module),
    ...rotationProblems(module),
    ...tlsOnlyProblems(module),
    ...multipartProblems(module),
    ...trustProblems(module),
    ...wildcardProblems(module),
    ...tagProblems(module),
  ];
}
