# IRSA: the role Tempo's pods assume with their projected service-account token. The trust names the
# cluster's own OIDC provider, the STS audience and one exact service account; no pattern, no other
# cluster, no other workload. The permissions name this bucket and this key, nothing else.

data "aws_eks_cluster" "this" {
  name = var.cluster_name
}

data "aws_iam_openid_connect_provider" "cluster" {
  url = data.aws_eks_cluster.this.identity[0].oidc[0].issuer
}

locals {
  # IAM condition keys name the issuer without its scheme: oidc.eks.<region>.amazonaws.com/id/<id>.
  oidc_issuer             = trimprefix(data.aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")
  service_account_subject = "system:serviceaccount:${var.tempo_namespace}:${var.tempo_service_account}"
}

data "aws_iam_policy_document" "tempo_trust" {
  statement {
    sid     = "TempoServiceAccountOnly"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [data.aws_iam_openid_connect_provider.cluster.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:sub"
      values   = [local.service_account_subject]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "tempo" {
  name                 = var.tempo_role_name
  description          = "Assumed by ${local.service_account_subject} on EKS cluster ${var.cluster_name} to store traces in s3://${var.bucket_name}"
  assume_role_policy   = data.aws_iam_policy_document.tempo_trust.json
  max_session_duration = 3600
  tags                 = local.tags
}

# Tempo's documented minimum for S3 (hosted-storage/s3), split by the resource each action applies to.
data "aws_iam_policy_document" "tempo_access" {
  statement {
    sid       = "ListTraceBucket"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.traces.arn]
  }

  statement {
    sid    = "ReadWriteTraceBlocks"
    effect = "Allow"
    actions = [
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:GetObjectTagging",
      "s3:PutObject",
      "s3:PutObjectTagging",
    ]
    resources = ["${aws_s3_bucket.traces.arn}/*"]
  }

  statement {
    sid       = "UseTraceKeyThroughS3"
    effect    = "Allow"
    actions   = local.key_use_actions
    resources = [aws_kms_key.traces.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = [local.s3_service_endpoint]
    }
  }
}

resource "aws_iam_role_policy" "tempo_access" {
  name   = "tempo-trace-storage"
  role   = aws_iam_role.tempo.name
  policy = data.aws_iam_policy_document.tempo_access.json
}

# The Tempo chart annotates its service account with arn:aws:iam::<account>:role/<tempo_role_name>,
# built by the generator from the same model. Warn if the role Terraform made has another ARN.
check "role_matches_service_account_annotation" {
  assert {
    condition     = aws_iam_role.tempo.arn == local.expected_role_arn
    error_message = "The Tempo role's ARN is ${aws_iam_role.tempo.arn}, but the service-account annotation generated from the cluster model points at ${local.expected_role_arn}."
  }
}
