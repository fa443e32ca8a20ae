output "bucket_name" {
  description = "Name of the trace bucket; Tempo's storage.trace.s3.bucket."
  value       = aws_s3_bucket.traces.id
}

output "bucket_arn" {
  description = "ARN of the trace bucket."
  value       = aws_s3_bucket.traces.arn
}

output "bucket_region" {
  description = "Region of the trace bucket; Tempo's S3 endpoint is s3.<this>.amazonaws.com."
  value       = aws_s3_bucket.traces.region
}

output "tempo_role_arn" {
  description = "ARN of the IRSA role Tempo assumes; the value of its service account's eks.amazonaws.com/role-arn annotation."
  value       = aws_iam_role.tempo.arn
}

output "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the bucket by default."
  value       = aws_kms_key.traces.arn
}

output "kms_key_alias" {
  description = "Alias of the KMS key, for finding it in the console and in CloudTrail."
  value       = aws_kms_alias.traces.name
}

output "expiry_days" {
  description = "Age in days after which the bucket's lifecycle safety net expires objects (retention rounded up to days, plus the margin)."
  value       = local.expiry_days
}
