# TFLint for terraform/ (run by .github/workflows/terraform.yml in each module and stack folder with
# `tflint --config "$GITHUB_WORKSPACE/terraform/.tflint.hcl"`). The AWS ruleset is a plugin that
# `tflint --init` downloads, so it runs in CI only. The module folder is linted on its own, so the
# stacks' lint does not descend into the module call.

plugin "terraform" {
  enabled = true
  preset  = "all"
}

plugin "aws" {
  enabled = true
  version = "0.40.0"
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
}

# The stacks name their one file of resources after what it holds (tempo.tf, as the issue asks), not
# main.tf; the module itself follows the standard layout, which parse.test.ts checks offline.
rule "terraform_standard_module_structure" {
  enabled = false
}
