import { terraformRule } from "../../engine/define.ts";
import { isTrue, resources } from "../../engine/terraform.ts";

export default terraformRule({
  id: "tf-kms-rotation",
  severity: "error",
  title: "KMS keys rotate their key material",
  rationale: "Rotation limits how much data one key version protects; AWS leaves it off unless asked.",
  remediation: "Set enable_key_rotation = true on every aws_kms_key.",
  check(module) {
    return resources(module, "aws_kms_key")
      .filter((key) => !isTrue(key.body.enable_key_rotation))
      .map((key) => ({
        file: key.file,
        address: key.address,
        path: "enable_key_rotation",
        message: `key ${key.address} does not enable rotation`,
      }));
  },
});
