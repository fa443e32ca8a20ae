# The bucket that holds Tempo's trace blocks: private, owner-enforced, encrypted with the module's
# own KMS key, reachable only over TLS, and tidied by lifecycle rules.

data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  partition        = data.aws_partition.current.partition
  account_root_arn = "arn:${local.partition}:iam::${var.aws_account_id}:root"

  # The form the generated service-account annotation uses (see the contract in the README).
  expected_role_arn = "arn:aws:iam::${var.aws_account_id}:role/${var.tempo_role_name}"

  # Tempo deletes blocks itself once they pass retention; S3 expires whatever is left a margin later.
  expiry_days = ceil(var.retention_hours / 24) + var.expiry_margin_days

  tags = merge(var.tags, {
    environment  = var.environment
    cluster      = var.cluster_name
    "managed-by" = "terraform"
    component    = "tempo-storage"
  })
}

resource "aws_s3_bucket" "traces" {
  bucket = var.bucket_name
  # Never empty a bucket of traces as a side effect of a destroy; S3 refuses to delete it while
  # objects remain, which is the intended brake.
  force_destroy = false
  tags          = local.tags

  lifecycle {
    precondition {
      condition     = data.aws_caller_identity.current.account_id == var.aws_account_id
      error_message = "The AWS credentials belong to account ${data.aws_caller_identity.current.account_id}, but the cluster model says ${var.aws_account_id}."
    }
    precondition {
      condition     = data.aws_region.current.region == var.aws_region
      error_message = "The AWS provider targets ${data.aws_region.current.region}, but the cluster model says ${var.aws_region}."
    }
  }
}

resource "aws_s3_bucket_public_access_block" "traces" {
  bucket = aws_s3_bucket.traces.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: every object belongs to the bucket owner, access is decided by policies alone.
resource "aws_s3_bucket_ownership_controls" "traces" {
  bucket = aws_s3_bucket.traces.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "traces" {
  bucket = aws_s3_bucket.traces.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.traces.arn
    }
    # Tempo writes many small objects; a bucket key cuts KMS requests (and their cost) by orders of magnitude.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "traces" {
  bucket = aws_s3_bucket.traces.id

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  rule {
    id     = "expire-blocks-past-retention"
    status = "Enabled"

    filter {}

    expiration {
      days = local.expiry_days
    }
  }
}

resource "aws_s3_bucket_logging" "traces" {
  count = var.access_log_bucket == null ? 0 : 1

  bucket        = aws_s3_bucket.traces.id
  target_bucket = var.access_log_bucket
  target_prefix = "s3-access/${var.bucket_name}/"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.traces.arn,
      "${aws_s3_bucket.traces.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyTlsOlderThan12"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.traces.arn,
      "${aws_s3_bucket.traces.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "traces" {
  bucket = aws_s3_bucket.traces.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 rejects a bucket policy while the public access block is still being applied.
  depends_on = [aws_s3_bucket_public_access_block.traces]
}
