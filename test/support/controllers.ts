// Stands in for the parts of a cluster a bare API server lacks (controllers, scheduler, nodes):
// - every Deployment and StatefulSet is reported as fully rolled out at its current generation,
//   as the workload controllers would report it once its pods ran. With this, Argo CD's own health
//   checks read real status fields and see Healthy; without it every workload stays Progressing
//   and a sync wave behind one would never start. Only status is written, never spec;
// - a foreground deletion (Argo CD prunes that way) is finished as the garbage collector finishes
//   it for an object nothing depends on: the `foregroundDeletion` finalizer is removed. Without
//   it a pruned object stays, marked for deletion, for ever.
import type { KubeClient } from "../../policies/live/kube.ts";

interface Workload {
  metadata: { name: string; namespace: string; generation?: number };
  spec: { replicas?: number };
  status?: { observedGeneration?: number };
}

function rolledOut(kind: "deployments" | "statefulsets", workload: Workload): Record<string, unknown> {
  const replicas = workload.spec.replicas ?? 1;
  const generation = workload.metadata.generation ?? 1;
  const common = {
    observedGeneration: generation,
    replicas,
    readyReplicas: replicas,
    availableReplicas: replicas,
    updatedReplicas: replicas,
  };
  if (kind === "statefulsets") {
    const revision = `${workload.metadata.name}-${generation}`;
    return { ...common, currentReplicas: replicas, currentRevision: revision, updateRevision: revision };
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return {
    ...common,
    conditions: [
      {
        type: "Available",
        status: "True",
        reason: "MinimumReplicasAvailable",
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
      {
        type: "Progressing",
        status: "True",
        reason: "NewReplicaSetAvailable",
        lastUpdateTime: now,
        lastTransitionTime: now,
      },
    ],
  };
}

/** One pass: marks every workload whose status lags its generation as rolled out. Returns how many. */
export async function completeRollouts(client: KubeClient): Promise<number> {
  let marked = 0;
  for (const kind of ["deployments", "statefulsets"] as const) {
    const list = (await client.get(`/apis/apps/v1/${kind}`)) as { items: Workload[] };
    for (const workload of list.items) {
      if (workload.status?.observedGeneration === workload.metadata.generation) continue;
      const { name, namespace } = workload.metadata;
      const response = await client.request("PATCH", `/apis/apps/v1/namespaces/${namespace}/${kind}/${name}/status`, {
        body: { status: rolledOut(kind, workload) },
        contentType: "application/merge-patch+json",
      });
      if (response.status !== 200)
        throw new Error(`marking ${kind}/${namespace}/${name} rolled out: HTTP ${response.status}`);
      marked++;
    }
  }
  return marked;
}

interface Listed {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[] };
}

/**
 * One pass over the given collections (API paths such as /apis/networking.k8s.io/v1/networkpolicies):
 * objects waiting only on the foregroundDeletion finalizer lose it, and the API server removes them.
 */
export async function finishForegroundDeletions(client: KubeClient, collections: readonly string[]): Promise<number> {
  let finished = 0;
  for (const collection of collections) {
    const list = (await client.get(collection)) as { items: Listed[] };
    for (const item of list.items) {
      const { deletionTimestamp, finalizers = [], name, namespace } = item.metadata;
      if (!deletionTimestamp || finalizers.length !== 1 || finalizers[0] !== "foregroundDeletion") continue;
      const base = collection.replace(/\/([a-z0-9]+)$/, namespace ? `/namespaces/${namespace}/$1` : "/$1");
      const response = await client.request("PATCH", `${base}/${name}`, {
        body: { metadata: { finalizers: null } },
        contentType: "application/merge-patch+json",
      });
      if (response.status === 200 || response.status === 404) finished++;
    }
  }
  return finished;
}

/**
 * Runs completeRollouts (and finishForegroundDeletions over `collections`) every `intervalMs`
 * until stopped; a failed pass is retried on the next tick.
 */
export function keepClusterControllers(
  client: KubeClient,
  collections: readonly string[],
  intervalMs = 500,
): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await completeRollouts(client).catch(() => 0);
      await finishForegroundDeletions(client, collections).catch(() => 0);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
