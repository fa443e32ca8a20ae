# The customer-managed key behind the bucket's default encryption. Its policy names two principals
# only: the account (to administer the key, never to read with it) and Tempo's role (to use it,
# only through S3 in this Region).

locals {
  # Enumerated on purpose: no kms:* and no DisableKeyRotation, so neither an administrator nor the
  # deploying pipeline can turn rotation off or decrypt trace data through this statement.
  key_admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # What S3 needs on Tempo's behalf with SSE-KMS: a data key to write, decryption to read.
  key_use_actions = [
    "kms:Decrypt",
    "kms:GenerateDataKey",
  ]

  s3_service_endpoint = "s3.${var.aws_region}.amazonaws.com"
}

data "aws_iam_policy_document" "key" {
  # In a key policy, Resource "*" means "this key" and nothing else: the policy is attached to one key.
  statement {
    sid       = "AccountAdministersKey"
    effect    = "Allow"
    actions   = local.key_admin_actions
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [local.account_root_arn]
    }
  }

  statement {
    sid       = "TempoUsesKeyThroughS3"
    effect    = "Allow"
    actions   = local.key_use_actions
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.tempo.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_service_endpoint]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [var.aws_account_id]
    }
  }
}

resource "aws_kms_key" "traces" {
  description             = "Encrypts Tempo trace blocks in s3://${var.bucket_name} (${var.environment}, cluster ${var.cluster_name})"
  key_usage               = "ENCRYPT_DECRYPT"
  multi_region            = false
  enable_key_rotation     = true
  rotation_period_in_days = var.kms_rotation_period_in_days
  deletion_window_in_days = var.kms_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
  tags                    = local.tags
}

resource "aws_kms_alias" "traces" {
  # The bucket name is globally unique, so the alias is unique in the account and says what the key is for.
  name          = "alias/${var.bucket_name}"
  target_key_id = aws_kms_key.traces.key_id
}
