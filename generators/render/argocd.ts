// The Argo CD side of a cluster, under clusters/<env>/argocd/: two AppProjects and the
// app-of-apps (one root Application that syncs this folder, one child Application per folder).
//
// Separate projects, so that no Application of the platform can write into Argo CD's own namespace
// except the root, and the root can write nothing there but Applications and AppProjects:
// - `<project>` (tracing-platform): the child Applications; destinations tempo and
//   otel-collector only, the cluster-scoped kinds the rendered tree contains;
// - `<project>-observability`: the observability app alone; destinations the monitoring and
//   Grafana namespaces (owned by the monitoring stack), only the namespaced kinds it renders
//   (ConfigMap, PrometheusRule), no cluster-scoped kind;
// - `<project>-bootstrap`: the root Application; destination argocd only, namespaced kinds
//   limited to Application and AppProject, no cluster-scoped kind at all.
//
// Safety choices, each against a known way to lose a cluster:
// - no `resources-finalizer.argocd.argoproj.io` on any Application: `kubectl delete` of an
//   Application (or of the root) leaves the running resources in place. Argo CD's own delete
//   (CLI, UI, API) adds that finalizer first unless told --cascade=false (generators/README.md);
// - Namespaces carry Delete=false/Prune=false (namespaces.ts); `generate` refuses to remove a
//   whole cluster or app folder without --allow-remove;
// - `namespaceResourceWhitelist` is omitted or lists kinds, never `[]` (which denies every namespaced kind);
//   `clusterResourceWhitelist` lists exactly the cluster-scoped kinds the rendered tree contains;
// - destinations name the in-cluster `server` only, never `name` and `server` together;
// - HPA-managed workloads carry no `replicas` in Git (checked in render-app.ts) and Argo CD is told
//   to ignore the field anyway, so a chart regression cannot make Argo fight the autoscaler;
// - the root ignores (and respects) differences in the Applications' automated sync, so on-call
//   can pause one app without the root turning it back on;
// - every Application follows the model's `argocd.revision` (dev: main; staging and prod: a
//   promoted branch), and the model's sync windows hold the child apps, never the root: the root
//   may always update an Application, and a blocked child waits for its window.
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
  /**
   * The destination namespace. Always set, also for the folder of Namespaces (cluster-scoped
   * objects ignore it): an Application without one is refused by projects that list namespaces.
   */
  namespace: string;
  wave: number;
  /** Workloads an HorizontalPodAutoscaler scales. */
  autoscaled: ResourceRef[];
  /**
   * For an app that writes into namespaces the platform does not own (the observability app: the
   * monitoring stack's): it gets a project of its own that admits exactly those namespaces and the
   * namespaced kinds it renders, and no cluster-scoped kind.
   */
  foreign?: { namespaces: string[]; kinds: GroupKind[] };
}

export const ARGOCD_FOLDER = "argocd";
export const ROOT_APPLICATION = "tracing-platform-root";

export function bootstrapProject(cluster: Cluster): string {
  return `${cluster.argocd.project}-bootstrap`;
}

/** The project of an app folder: its own when it writes into foreign namespaces. */
export function projectOf(cluster: Cluster, folder: AppFolder): string {
  return folder.foreign ? `${cluster.argocd.project}-${folder.name}` : cluster.argocd.project;
}

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
      project: projectOf(cluster, folder),
      source: {
        repoURL: cluster.argocd.repoURL,
        targetRevision: cluster.argocd.revision,
        path: folderPath(cluster, folder.name),
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: folder.namespace },
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
      project: bootstrapProject(cluster),
      source: {
        repoURL: cluster.argocd.repoURL,
        targetRevision: cluster.argocd.revision,
        path: folderPath(cluster, ARGOCD_FOLDER),
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: NAMESPACES.argocd },
      syncPolicy: {
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ["FailOnSharedResource=true", "PruneLast=true", "RespectIgnoreDifferences=true"],
        retry,
      },
      // On-call may pause one app during an incident by removing its automated sync; without
      // this the root's self-heal would put it back within seconds.
      ignoreDifferences: [{ group: "argoproj.io", kind: "Application", jsonPointers: ["/spec/syncPolicy/automated"] }],
      revisionHistoryLimit: 10,
    },
  };
}

export type GroupKind = { group: string; kind: string };

function byGroupKind(a: GroupKind, b: GroupKind): number {
  return byCodePoint(a.group, b.group) || byCodePoint(a.kind, b.kind);
}

function appProject(cluster: Cluster, name: string, description: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: {
      name,
      namespace: NAMESPACES.argocd,
      labels: platformLabels(cluster, name, "argocd-project"),
      annotations: syncWave(WAVES.project),
    },
    spec: {
      description,
      sourceRepos: [cluster.argocd.repoURL],
      // Report objects in the destination namespaces that no Application owns (hand-applied
      // drift); a project whose destinations belong to someone else (the monitoring stack) passes
      // `orphanedResources: undefined`, or every object of that stack would be reported.
      orphanedResources: { warn: true },
      ...spec,
    },
  };
}

/** The model's sync windows, held on the child Applications a project holds (never on the root). */
function syncWindows(cluster: Cluster, applications: readonly string[]) {
  return cluster.argocd.syncWindows.map((window) => ({
    kind: window.kind,
    schedule: window.schedule,
    duration: window.duration,
    timeZone: window.timeZone,
    manualSync: window.manualSync,
    applications: [...applications].sort(),
  }));
}

/** `syncWindows` only where the model has some: Argo CD stores no empty list, and would diff it. */
function windowsSpec(cluster: Cluster, applications: readonly string[]) {
  return cluster.argocd.syncWindows.length > 0 ? { syncWindows: syncWindows(cluster, applications) } : {};
}

function destinations(namespaces: Iterable<string>) {
  return [...new Set(namespaces)].sort().map((namespace) => ({ server: IN_CLUSTER_SERVER, namespace }));
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
  clusterScoped: readonly GroupKind[],
): KubeObject[] {
  const platform = appProject(
    cluster,
    cluster.argocd.project,
    `The tracing platform (Tempo and the OpenTelemetry Collector) on ${cluster.identity.name}.`,
    {
      destinations: destinations([
        ...namespaces,
        ...folders.filter((folder) => !folder.foreign).map((folder) => folder.namespace),
      ]),
      clusterResourceWhitelist: [...clusterScoped].sort(byGroupKind),
      ...windowsSpec(
        cluster,
        folders.filter((folder) => !folder.foreign).map((folder) => folder.name),
      ),
    },
  );
  const own = folders.flatMap((folder) =>
    folder.foreign
      ? [
          appProject(
            cluster,
            projectOf(cluster, folder),
            `The ${folder.name} app of the tracing platform on ${cluster.identity.name}: only its kinds, only in ${folder.foreign.namespaces.join(" and ")}.`,
            {
              destinations: destinations([...folder.foreign.namespaces, folder.namespace]),
              namespaceResourceWhitelist: [...folder.foreign.kinds].sort(byGroupKind),
              orphanedResources: undefined,
              ...windowsSpec(cluster, [folder.name]),
            },
          ),
        ]
      : [],
  );
  const bootstrap = appProject(
    cluster,
    bootstrapProject(cluster),
    `The root Application of the tracing platform on ${cluster.identity.name}: Argo CD objects only.`,
    {
      destinations: destinations([NAMESPACES.argocd]),
      namespaceResourceWhitelist: [
        { group: "argoproj.io", kind: "AppProject" },
        { group: "argoproj.io", kind: "Application" },
      ],
    },
  );
  return [
    platform,
    ...own,
    bootstrap,
    rootApplication(cluster),
    ...folders.map((folder) => application(cluster, folder)),
  ];
}
