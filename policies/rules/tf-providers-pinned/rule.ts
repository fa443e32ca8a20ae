import { terraformRule } from "../../engine/define.ts";
import { list, obj } from "../../engine/workloads.ts";

/** Pinned = bounded above: `~> 6.0`, `>= 1.10, < 2.0`, `= 6.1.0` or a bare version. */
export function isBounded(constraint: unknown): boolean {
  if (typeof constraint !== "string" || constraint.trim() === "") return false;
  return constraint.split(",").some((part) => /^\s*(~>|<|<=|=)?\s*v?\d/.test(part) && !/^\s*(>=|>|!=)/.test(part));
}

export default terraformRule({
  id: "tf-providers-pinned",
  severity: "error",
  title: "Terraform and its providers are pinned to a bounded version range",
  rationale:
    "An unbounded provider version lets `terraform init` pull the next major release and change plans without a commit.",
  remediation:
    'Give each required_providers entry a source and a version like "~> 6.0"; bound required_version (">= 1.10.0, < 2.0.0").',
  check(module) {
    const out = [];
    for (const { file, hcl } of module.files) {
      for (const block of list(hcl.terraform).map(obj)) {
        if (!isBounded(block.required_version)) {
          out.push({
            file,
            address: "terraform",
            path: "required_version",
            message: `required_version ${JSON.stringify(block.required_version ?? null)} has no upper bound`,
          });
        }
        for (const providers of list(block.required_providers).map(obj)) {
          for (const [name, requirement] of Object.entries(providers)) {
            const { source, version } = obj(requirement);
            if (typeof source !== "string")
              out.push({
                file,
                address: "terraform",
                path: `required_providers.${name}.source`,
                message: `provider ${name} has no source`,
              });
            if (!isBounded(version)) {
              out.push({
                file,
                address: "terraform",
                path: `required_providers.${name}.version`,
                message: `provider ${name} version ${JSON.stringify(version ?? null)} is not pinned to a bounded range`,
              });
            }
          }
        }
      }
    }
    return out;
  },
});
