// `terraform/environments/<env>/cluster.auto.tfvars.json`: the inputs the storage stack shares with
// the cluster, written from the same model so bucket, region, retention and the service-account
// identity cannot drift apart. Exactly the keys of the contract, in its order.
import type { Cluster } from "../model/types.ts";
import { NAMESPACES, PART_OF, TEMPO_SERVICE_ACCOUNT } from "../platform.ts";
import { generatedNotice } from "./header.ts";

export function tfvarsPath(environment: string): string {
  return `terraform/environments/${environment}/cluster.auto.tfvars.json`;
}

export function tfvars(cluster: Cluster): Record<string, unknown> {
  const { identity, tempo } = cluster;
  return {
    "//": generatedNotice(identity.environment),
    environment: identity.environment,
    cluster_name: identity.name,
    aws_region: identity.region,
    aws_account_id: identity.accountId,
    // Dev's monolithic Tempo keeps blocks on its own volume: no bucket, role or key to create.
    storage_enabled: tempo.storage.backend === "s3",
    bucket_name: tempo.storage.bucket,
    retention_hours: tempo.retentionHours,
    tempo_namespace: NAMESPACES.tempo,
    tempo_service_account: TEMPO_SERVICE_ACCOUNT,
    tempo_role_name: tempo.irsaRoleName,
    tags: {
      cluster: identity.name,
      environment: identity.environment,
      "managed-by": "terraform",
      owner: "platform-observability",
      project: PART_OF,
    },
  };
}

/** Two-space JSON with a final newline; insertion order is the contract's order. */
export function tfvarsText(cluster: Cluster): string {
  return `${JSON.stringify(tfvars(cluster), null, 2)}\n`;
}
