terraform {
  # 1.9 lets a variable's validation read other variables; 1.10 is the floor of the root stacks
  # (S3 native state locking), so the module asks for the same.
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: data.aws_region exposes `region` (the `name` attribute is deprecated).
      version = "~> 6.0"
    }
  }
}
