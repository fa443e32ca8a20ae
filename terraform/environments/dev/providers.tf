provider "aws" {
  region = var.aws_region

  # Refuse to plan or apply with credentials for any account other than the cluster model's.
  allowed_account_ids = [var.aws_account_id]
}
