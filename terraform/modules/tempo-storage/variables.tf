# Inputs. The first block mirrors, name for name, the keys of the generated
# environments/<env>/cluster.auto.tfvars.json (the cluster model is their source of truth), so every
# value that also lands in the cluster's Helm values is validated here before it reaches an ARN or a
# policy. The second block holds the module's own knobs, with safe defaults.

variable "environment" {
  type        = string
  description = "Cluster environment the storage belongs to: dev, staging or prod. Tagged on every resource."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of the EKS cluster Tempo runs on. Its OIDC issuer is looked up to bind the IRSA role's trust."

  validation {
    condition     = can(regex("^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS Region of the bucket and key; must equal the provider's Region (checked at plan time)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS Region code such as eu-west-1."
  }
}

variable "aws_account_id" {
  type        = string
  description = "AWS account that owns the storage; must equal the credentials' account (checked at plan time)."

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be exactly 12 digits, as a string."
  }
}

variable "bucket_name" {
  type        = string
  description = "Name of the S3 bucket that holds Tempo's trace blocks (Tempo's storage.trace.s3.bucket)."

  validation {
    # No dots: a dotted name breaks TLS certificate matching for virtual-hosted-style requests, and
    # the bucket policy refuses anything but TLS.
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 characters of lowercase letters, digits and '-', starting and ending with a letter or digit (dots are refused: they break TLS for virtual-hosted requests)."
  }

  validation {
    condition = !(
      startswith(var.bucket_name, "xn--") || startswith(var.bucket_name, "sthree-") ||
      startswith(var.bucket_name, "amzn-s3-demo-") || endswith(var.bucket_name, "-s3alias") ||
      endswith(var.bucket_name, "--ol-s3") || endswith(var.bucket_name, "--x-s3") ||
      endswith(var.bucket_name, "--table-s3")
    )
    error_message = "bucket_name uses a prefix or suffix that S3 reserves (xn--, sthree-, amzn-s3-demo-, -s3alias, --ol-s3, --x-s3, --table-s3)."
  }
}

variable "retention_hours" {
  type        = number
  description = "Tempo's block retention in hours (compactor.compaction.block_retention). The bucket's expiry safety net is set past it."

  validation {
    condition     = var.retention_hours == floor(var.retention_hours) && var.retention_hours >= 24 && var.retention_hours <= 87600
    error_message = "retention_hours must be a whole number of hours between 24 and 87600 (10 years)."
  }
}

variable "tempo_namespace" {
  type        = string
  description = "Kubernetes namespace of Tempo's service account; part of the exact IRSA subject."

  validation {
    # A DNS-1123 label. It also rules out '*' and '?', which would turn the trust into a pattern.
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.tempo_namespace))
    error_message = "tempo_namespace must be a Kubernetes namespace name (DNS-1123 label: lowercase letters, digits, '-', at most 63 characters)."
  }
}

variable "tempo_service_account" {
  type        = string
  description = "Name of Tempo's Kubernetes service account; the IRSA role trusts exactly system:serviceaccount:<namespace>:<this>."

  validation {
    condition     = length(var.tempo_service_account) <= 253 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", var.tempo_service_account))
    error_message = "tempo_service_account must be a Kubernetes object name (DNS-1123 subdomain, at most 253 characters); wildcards are not allowed."
  }
}

variable "tempo_role_name" {
  type        = string
  description = "Name of the IAM role Tempo assumes; the service account's eks.amazonaws.com/role-arn annotation is arn:aws:iam::<account>:role/<this>."

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.tempo_role_name))
    error_message = "tempo_role_name must be an IAM role name: 1-64 letters, digits or + = , . @ _ -."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags from the cluster model, put on every resource. The module adds environment, cluster, managed-by and component, which win over same-named keys here."

  validation {
    condition     = length(var.tags) <= 46
    error_message = "tags may hold at most 46 entries: AWS allows 50 per resource and the module adds 4."
  }

  validation {
    condition = alltrue([
      for key, value in var.tags :
      length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && !startswith(lower(key), "aws:")
    ])
    error_message = "each tag key must be 1-128 characters and not start with 'aws:'; each value at most 256 characters."
  }
}

variable "kms_deletion_window_in_days" {
  type        = number
  description = "Days KMS waits before deleting the key once it is scheduled for deletion; the window in which a mistaken destroy can be undone."
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days == floor(var.kms_deletion_window_in_days) && var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30
    error_message = "kms_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

variable "kms_rotation_period_in_days" {
  type        = number
  description = "Days between automatic rotations of the key material (rotation is always on)."
  default     = 365

  validation {
    condition     = var.kms_rotation_period_in_days == floor(var.kms_rotation_period_in_days) && var.kms_rotation_period_in_days >= 90 && var.kms_rotation_period_in_days <= 2560
    error_message = "kms_rotation_period_in_days must be a whole number between 90 and 2560."
  }
}

variable "expiry_margin_days" {
  type        = number
  description = "Days past Tempo's retention after which S3 expires any object still present: a safety net for blocks the compactor failed to delete, never the primary retention."
  default     = 7

  validation {
    condition     = var.expiry_margin_days == floor(var.expiry_margin_days) && var.expiry_margin_days >= 1 && var.expiry_margin_days <= 365
    error_message = "expiry_margin_days must be a whole number between 1 and 365."
  }
}

variable "access_log_bucket" {
  type        = string
  description = "Existing bucket that receives S3 server access logs for the trace bucket, or null to leave access logging off."
  default     = null

  validation {
    condition     = var.access_log_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket))
    error_message = "access_log_bucket must be null or an S3 bucket name (3-63 lowercase letters, digits, '.' or '-')."
  }

  validation {
    condition     = var.access_log_bucket != var.bucket_name
    error_message = "access_log_bucket must not be the trace bucket itself: a bucket logging to itself grows without end."
  }
}
