// Labels and annotations on the objects the generators build themselves (not chart output).
import type { Cluster } from "../model/types.ts";
import { PART_OF } from "../platform.ts";

export const MANAGED_BY = "greenlang-generators";

export function platformLabels(cluster: Cluster, name: string, component: string): Record<string, string> {
  return {
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/instance": cluster.identity.name,
    "app.kubernetes.io/managed-by": MANAGED_BY,
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/part-of": PART_OF,
  };
}

export function syncWave(wave: number): Record<string, string> {
  return { "argocd.argoproj.io/sync-wave": String(wave) };
}

/**
 * Sync waves of the platform. Argo CD applies lower waves first and prunes in reverse: the
 * project before the Applications that use it, namespaces before what lives in them, Tempo
 * before the Collector that exports to it, the alerts and dashboards on both last.
 */
export const WAVES = { project: -2, namespaces: -1, tempo: 0, collector: 1, observability: 2 } as const;
