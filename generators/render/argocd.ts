// The Argo CD side of a cluster, under clusters/<env>/argocd/: the AppProject and the
// app-of-apps (one root Application that syncs this folder, one child Application per folder).
//
// Safety choices, each against a known way to lose a cluster:
// - no `resources-finalizer.argocd.argoproj.io` on any Application: deleting an Application
//   (or the root, which would delete every child) leaves the running resources in place;
// - Namespaces carry Delete=false/Prune=false (namespaces.ts); `generate` refuses to remove a
//   whole cluster or app folder without --allow-remove;
// - `namespaceResourceWhitelist` is omitted, never `[]` (an empty list denies every namespaced kind);
//   `clusterResourceWhitelist` lists exactly the cluster-scoped kinds the rendered tree contains;
// - destinations name the in-cluster `server` only, never `name` and `server` together;
// - HPA-managed workloads carry no `replicas` in Git (checked in render-app.ts) and Argo CD is told
//   to ignore the field anyway, so a chart regression cannot make Argo fight the autoscaler.
import type { Cluster } from "../model/types.ts";
import { IN_CLUSTER_SERVER, NAMESPACES } from "../platform.ts";
import { platformLabels, syncWave, WAVES } from "./labels.ts";
import type { KubeObject } from "./objects.ts";

export interface ResourceRef {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** What the Argo CD objects need to know about one rendered folder of the cluster. */
export interface AppFolder {
  /** Folder under clusters/<env>/ and Application name: `tempo`, `otel-collector`, `namespaces`. */
  name: string;
  /** The destination namespace; undefined for a folder of cluster-scoped objects only. */
  namespace?: string;
  wave: number;
  /** Workloads an HorizontalPodAutoscaler scales. */
  autoscaled: ResourceRef[];
}

export const ARGOCD_FOLDER = "argocd";
export const ROOT_APPLICATION = "tracing-platform-root";

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function folderPath(cluster: Cluster, folder: string): string {
  return `clusters/${cluster.identity.environment}/${folder}`;
}

const retry = { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } };

function application(cluster: Cluster, folder: AppFolder): KubeObject {
  const ignoreDifferences = folder.autoscaled.map((ref) => ({
    group: ref.group,
    kind: ref.kind,
    name: ref.name,
    ...(ref.namespace ? { namespace: ref.namespace } : {}),
    jsonPointers: ["/spec/replicas"],
  }));
  const syncOptions = ["FailOnSharedResource=true", "PruneLast=true", "ServerSideApply=true"];
  if (ignoreDifferences.length > 0) syncOptions.push("RespectIgnoreDifferences=true");
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: folder.name,
      namespace: NAMESPACES.argocd,
      labels: platformLabels(cluster, folder.name, "argocd-application"),
      annotations: syncWave(folder.wave),
    },
    spec: {
      project: cluster.argocd.project,
      source: {
        repoURL: cluster.argocd.repoURL,
        targetRevision: cluster.argocd.revision,
        path: folderPath(cluster, folder.name),
      },
      destination: { server: IN_CLUSTER_SERVER, ...(folder.namespace ? { namespace: folder.namespace } : {}) },
      syncPolicy: { automated: { prune: true, selfHeal: true, allowEmpty: false }, syncOptions, retry },
      ...(ignoreDifferences.length > 0 ? { ignoreDifferences } : {}),
      revisionHistoryLimit: 10,
    },
  };
}

function rootApplication(cluster: Cluster): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: ROOT_APPLICATION,
      namespace: NAMESPACES.argocd,
      labels: platformLabels(cluster, ROOT_APPLICATION, "argocd-application"),
    },
    spec: {
      project: cluster.argocd.project,
      source: {
        repoURL: cluster.argocd.repoURL,
        targetRevision: cluster.argocd.revision,
        path: folderPath(cluster, ARGOCD_FOLDER),
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: NAMESPACES.argocd },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ["FailOnSharedResource=true", "PruneLast=true"],
        retry,
      },
      revisionHistoryLimit: 10,
    },
  };
}

function appProject(
  cluster: Cluster,
  destinationNamespaces: readonly string[],
  clusterScoped: readonly { group: string; kind: string }[],
): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: {
      name: cluster.argocd.project,
      namespace: NAMESPACES.argocd,
      labels: platformLabels(cluster, cluster.argocd.project, "argocd-project"),
      annotations: syncWave(WAVES.project),
    },
    spec: {
      description: `The tracing platform (Tempo and the OpenTelemetry Collector) on ${cluster.identity.name}.`,
      sourceRepos: [cluster.argocd.repoURL],
      destinations: [...destinationNamespaces].sort().map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace })),
      clusterResourceWhitelist: [...clusterScoped].sort(
        (a, b) => byCodePoint(a.group, b.group) || byCodePoint(a.kind, b.kind),
      ),
      // Report objects in the platform namespaces that no Application owns (hand-applied drift).
      orphanedResources: { warn: true },
    },
  };
}

/**
 * @param folders the rendered folders (apps and namespaces) the root Application fans out to
 * @param namespaces every namespace a rendered object lives in
 * @param clusterScoped every cluster-scoped kind the rendered tree contains
 */
export function argocdObjects(
  cluster: Cluster,
  folders: readonly AppFolder[],
  namespaces: readonly string[],
  clusterScoped: readonly { group: string; kind: string }[],
): KubeObject[] {
  const destinations = new Set([...namespaces, NAMESPACES.argocd]);
  return [
    appProject(cluster, [...destinations], clusterScoped),
    rootApplication(cluster),
    ...folders.map((folder) => application(cluster, folder)),
  ];
}
