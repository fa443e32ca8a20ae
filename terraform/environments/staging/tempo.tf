# Tempo's trace storage for this cluster. Every input comes from cluster.auto.tfvars.json, generated
# from the same cluster model as Tempo's Helm values, so bucket, Region, retention and service-account
# identity cannot drift apart. With storage_enabled false (dev) the module is not instantiated.
module "tempo_storage" {
  source = "../../modules/tempo-storage"
  count  = var.storage_enabled ? 1 : 0

  environment           = var.environment
  cluster_name          = var.cluster_name
  aws_region            = var.aws_region
  aws_account_id        = var.aws_account_id
  bucket_name           = var.bucket_name
  retention_hours       = var.retention_hours
  tempo_namespace       = var.tempo_namespace
  tempo_service_account = var.tempo_service_account
  tempo_role_name       = var.tempo_role_name
  tags                  = var.tags
}
