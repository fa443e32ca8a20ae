terraform {
  # >= 1.10: the S3 backend's native lock file (use_lockfile). Terraform 2 would be a deliberate upgrade.
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }

  # Partial configuration: the state bucket and its Region belong to the account's bootstrap, not to
  # this repository, and are given at init time (see terraform/README.md):
  #   terraform init -backend-config="bucket=<state bucket>" -backend-config="region=<state Region>"
  # Locking uses S3 conditional writes (a .tflock object beside the state), not a DynamoDB table.
  backend "s3" {
    key          = "observability/tempo-storage/staging.tfstate"
    encrypt      = true
    use_lockfile = true
  }
}
