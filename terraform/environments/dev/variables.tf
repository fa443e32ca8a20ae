# Exactly the keys of cluster.auto.tfvars.json, which `npm run generate` writes from
# clusters/<env>/cluster.ts. Do not set them anywhere else: the model is their source of truth.
# Formats are validated once, in the module; the rules below are about this stack.

variable "environment" {
  type        = string
  description = "Environment of the cluster model; must match this stack's folder name."

  validation {
    condition     = var.environment == basename(abspath(path.root))
    error_message = "cluster.auto.tfvars.json says environment \"${var.environment}\", but this stack is terraform/environments/${basename(abspath(path.root))}: the file was copied from another environment."
  }
}

variable "cluster_name" {
  type        = string
  description = "EKS cluster name; its OIDC provider anchors Tempo's IRSA trust."
}

variable "aws_region" {
  type        = string
  description = "AWS Region of the cluster and of the trace bucket; also the provider's Region."
}

variable "aws_account_id" {
  type        = string
  description = "AWS account of the cluster; the provider refuses credentials for any other account."
}

variable "storage_enabled" {
  type        = bool
  description = "Whether Tempo stores traces in S3. False only in dev, where Tempo runs monolithic on a local PVC and this stack creates nothing."

  validation {
    condition     = var.storage_enabled || var.environment == "dev"
    error_message = "storage_enabled is false for environment \"${var.environment}\": only dev may run Tempo without S3, and turning it off here would plan to destroy the trace bucket and schedule its key for deletion."
  }
}

variable "bucket_name" {
  type        = string
  description = "S3 bucket for Tempo's trace blocks (Tempo's storage.trace.s3.bucket)."
}

variable "retention_hours" {
  type        = number
  description = "Tempo's block retention in hours (compactor.compaction.block_retention)."
}

variable "tempo_namespace" {
  type        = string
  description = "Kubernetes namespace of Tempo's service account."
}

variable "tempo_service_account" {
  type        = string
  description = "Tempo's Kubernetes service account name."
}

variable "tempo_role_name" {
  type        = string
  description = "IAM role name in Tempo's eks.amazonaws.com/role-arn annotation."
}

variable "tags" {
  type        = map(string)
  description = "Tags from the cluster model for every resource of this stack."
}
