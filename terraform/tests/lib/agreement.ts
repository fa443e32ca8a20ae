// Does a cluster's rendered Tempo agree with the tfvars its storage stack reads? The service
// account must carry exactly the role ARN Terraform creates, in the namespace and under the name the
// IRSA trust names; Tempo's config must point at the bucket and Region Terraform creates and keep
// blocks exactly as long as the bucket's lifecycle assumes.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";

export interface RenderedTempo {
  /** Repository-relative paths, for messages. */
  serviceAccountFile: string;
  configFile: string;
  serviceAccount: Record<string, unknown>;
  /** The parsed `tempo.yaml` held by the tempo-config ConfigMap. */
  config: Record<string, unknown>;
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Reads clusters/<env>/tempo/{serviceaccount-tempo,configmap-tempo-config}.yaml as rendered by the generator. */
export async function readRenderedTempo(repoRoot: string, env: string): Promise<RenderedTempo> {
  const serviceAccountFile = `clusters/${env}/tempo/serviceaccount-tempo.yaml`;
  const configFile = `clusters/${env}/tempo/configmap-tempo-config.yaml`;
  const serviceAccount = parse(await readFile(join(repoRoot, serviceAccountFile), "utf8")) as Record<string, unknown>;
  const configMap = parse(await readFile(join(repoRoot, configFile), "utf8")) as Record<string, unknown>;
  const text = at(configMap, ["data", "tempo.yaml"]);
  if (typeof text !== "string") throw new Error(`${configFile}: data["tempo.yaml"] is missing`);
  return { serviceAccountFile, configFile, serviceAccount, config: parse(text) as Record<string, unknown> };
}

export function agreementProblems(tfvarsFile: string, tfvars: Record<string, unknown>, tempo: RenderedTempo): string[] {
  const problems: string[] = [];
  const differ = (file: string, path: string, found: unknown, key: string, expected: unknown) => {
    if (found !== expected)
      problems.push(
        `${file}: ${path} is ${JSON.stringify(found)}, but ${tfvarsFile} ${key} gives ${JSON.stringify(expected)}`,
      );
  };
  const sa = tempo.serviceAccount;
  differ(
    tempo.serviceAccountFile,
    "metadata.namespace",
    at(sa, ["metadata", "namespace"]),
    "tempo_namespace",
    tfvars.tempo_namespace,
  );
  differ(
    tempo.serviceAccountFile,
    "metadata.name",
    at(sa, ["metadata", "name"]),
    "tempo_service_account",
    tfvars.tempo_service_account,
  );
  const annotation = at(sa, ["metadata", "annotations", "eks.amazonaws.com/role-arn"]);
  const trace = (key: string) => at(tempo.config, ["storage", "trace", ...key.split(".")]);
  differ(
    tempo.configFile,
    "compactor.compaction.block_retention",
    at(tempo.config, ["compactor", "compaction", "block_retention"]),
    "retention_hours",
    `${String(tfvars.retention_hours)}h`,
  );
  if (tfvars.storage_enabled === true) {
    const roleArn = `arn:aws:iam::${String(tfvars.aws_account_id)}:role/${String(tfvars.tempo_role_name)}`;
    differ(
      tempo.serviceAccountFile,
      'metadata.annotations["eks.amazonaws.com/role-arn"]',
      annotation,
      "aws_account_id/tempo_role_name",
      roleArn,
    );
    differ(tempo.configFile, "storage.trace.backend", trace("backend"), "storage_enabled", "s3");
    differ(tempo.configFile, "storage.trace.s3.bucket", trace("s3.bucket"), "bucket_name", tfvars.bucket_name);
    differ(tempo.configFile, "storage.trace.s3.region", trace("s3.region"), "aws_region", tfvars.aws_region);
  } else {
    if (annotation !== undefined && annotation !== "")
      problems.push(
        `${tempo.serviceAccountFile}: has an IRSA role annotation, but ${tfvarsFile} storage_enabled is false (no role is created)`,
      );
    differ(tempo.configFile, "storage.trace.backend", trace("backend"), "storage_enabled false", "local");
  }
  return problems;
}
