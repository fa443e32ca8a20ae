// Small helpers over rendered Kubernetes objects (plain parsed YAML).

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

/** Kinds without a namespace, among those a chart of ours can render or Argo CD must whitelist. */
const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PriorityClass",
  "StorageClass",
  "PersistentVolume",
  "ValidatingWebhookConfiguration",
  "MutatingWebhookConfiguration",
  "APIService",
  "IngressClass",
  "RuntimeClass",
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function apiGroup(apiVersion: string): string {
  return apiVersion.includes("/") ? (apiVersion.split("/")[0] as string) : "";
}

/** Checks the fields every object needs and narrows the type; `source` names where it came from. */
export function asKubeObject(value: Record<string, unknown>, source: string): KubeObject {
  const metadata = value.metadata as Record<string, unknown> | undefined;
  if (typeof value.apiVersion !== "string" || typeof value.kind !== "string" || typeof metadata?.name !== "string") {
    throw new Error(
      `${source}: an object without apiVersion, kind or metadata.name: ${JSON.stringify(value).slice(0, 120)}`,
    );
  }
  return value as KubeObject;
}

/** `<kind>-<name>.yaml`, lower-case kind, as the issue fixes it. */
export function fileNameOf(object: KubeObject): string {
  return `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
}

export function describeObject(object: KubeObject): string {
  const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : "";
  return `${object.kind} ${ns}${object.metadata.name}`;
}
