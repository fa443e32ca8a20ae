// The platform's Namespaces. The charts never create them (contract): they are created here,
// before anything else syncs, with Pod Security Admission at `restricted` (enforced, audited and
// warned, pinned to the cluster's minor so a Kubernetes upgrade cannot silently change the bar).
import type { Cluster } from "../model/types.ts";
import { NAMESPACES } from "../platform.ts";
import { platformLabels, syncWave, WAVES } from "./labels.ts";
import type { KubeObject } from "./objects.ts";

/** The namespaces this platform owns (Grafana's, Prometheus's and Argo CD's belong to other stacks). */
export const OWNED_NAMESPACES = [NAMESPACES.tempo, NAMESPACES.collector] as const;

export function podSecurityVersion(kubernetesVersion: string): string {
  const [major, minor] = kubernetesVersion.split(".");
  return `v${major}.${minor}`;
}

export function namespaceObjects(cluster: Cluster): KubeObject[] {
  const version = podSecurityVersion(cluster.identity.kubernetesVersion);
  return OWNED_NAMESPACES.map((name) => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: {
        ...platformLabels(cluster, name, "namespace"),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": version,
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": version,
      },
      annotations: {
        ...syncWave(WAVES.namespaces),
        // Deleting a namespace deletes everything in it (PVCs with the WAL included): never let a
        // sync or an Application deletion do that; removing one is a deliberate, manual act.
        "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
      },
    },
  }));
}
