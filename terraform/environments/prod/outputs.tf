# null when storage_enabled is false (dev: nothing is created).

output "bucket_name" {
  description = "Trace bucket name, or null when this environment keeps traces on local disk."
  value       = one(module.tempo_storage[*].bucket_name)
}

output "bucket_arn" {
  description = "Trace bucket ARN, or null when this environment keeps traces on local disk."
  value       = one(module.tempo_storage[*].bucket_arn)
}

output "tempo_role_arn" {
  description = "IRSA role ARN for Tempo's service account, or null when this environment needs none."
  value       = one(module.tempo_storage[*].tempo_role_arn)
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the trace bucket, or null when there is no bucket."
  value       = one(module.tempo_storage[*].kms_key_arn)
}
