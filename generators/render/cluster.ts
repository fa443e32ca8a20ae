// Everything `generate` writes for one cluster, in memory: the chart folders, the namespaces
// folder, the Argo CD folder (each with its kustomization.yaml) and the Terraform inputs. Nothing
// touches the disk here, so a failure anywhere leaves the committed tree as it was.

import { grafanaValuesFragment } from "../../apps/observability/src/index.ts";
import { VALUES_FRAGMENT_SUFFIX } from "../../scripts/cluster-files.ts";
import { CHART_APPS, type ChartApp, NAMESPACES_FOLDER } from "../apps.ts";
import type { Cluster } from "../model/types.ts";
import { observabilitySettings } from "../values/observability.ts";
import { type AppFolder, ARGOCD_FOLDER, argocdObjects, type GroupKind } from "./argocd.ts";
import { ciValuesPath, ciValuesText } from "./ci-values.ts";
import { yamlHeader } from "./header.ts";
import { kustomization } from "./kustomization.ts";
import { WAVES } from "./labels.ts";
import { namespaceObjects, OWNED_NAMESPACES } from "./namespaces.ts";
import { apiGroup, isClusterScoped } from "./objects.ts";
import { objectFiles, RenderError, type RenderedFolder, renderApp } from "./render-app.ts";
import { tfvarsPath, tfvarsText } from "./tfvars.ts";
import { toYaml } from "./yaml.ts";

export interface ClusterOutput {
  environment: string;
  /** Path relative to the repository root → content. */
  files: Map<string, string>;
  /** The app folders written under clusters/<env>/ (for the folder-removal guard). */
  folders: string[];
}

export function clusterDir(environment: string): string {
  return `clusters/${environment}`;
}

/** Folder of the Grafana chart's values fragment: not an Argo CD app, read by whoever runs Grafana. */
export const GRAFANA_FOLDER = "grafana";

/** The Grafana chart's values fragment with the platform's data sources (see apps/observability). */
export function grafanaValuesPath(environment: string): string {
  return `${clusterDir(environment)}/${GRAFANA_FOLDER}/datasources${VALUES_FRAGMENT_SUFFIX}`;
}

function ownFolder(
  cluster: Cluster,
  folder: string,
  objects: RenderedFolder["objects"],
  module: string,
): RenderedFolder {
  const header = yamlHeader(cluster.identity.environment, module);
  return {
    folder,
    objects,
    files: objectFiles(objects, header, `${clusterDir(cluster.identity.environment)}/${folder}`),
  };
}

export async function renderCluster(
  root: string,
  cluster: Cluster,
  charts: readonly ChartApp[] = CHART_APPS,
): Promise<ClusterOutput> {
  const environment = cluster.identity.environment;
  // Charts render concurrently (helm.ts bounds the processes); the first failure in chart order
  // is the one reported, so the message does not depend on which process finished first.
  const settled = await Promise.allSettled(charts.map((app) => renderApp(root, cluster, app)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  const apps = settled.map((result) => (result as PromiseFulfilledResult<Awaited<ReturnType<typeof renderApp>>>).value);

  const allowed = new Set<string>(OWNED_NAMESPACES);
  const namespaces = new Set<string>();
  const clusterScoped = new Map<string, GroupKind>();
  clusterScoped.set("/Namespace", { group: "", kind: "Namespace" });
  const foreignKinds = new Map<string, Map<string, GroupKind>>();
  for (const rendered of apps) {
    const foreign = new Set(rendered.app.foreignNamespaces?.(cluster) ?? []);
    for (const object of rendered.objects) {
      const ns = object.metadata.namespace;
      if (foreign.size > 0) {
        // An app in foreign namespaces has a project of its own: only namespaced kinds, only there.
        if (isClusterScoped(object.kind) || !ns || !foreign.has(ns)) {
          throw new RenderError(
            environment,
            rendered.app.chart,
            `${object.kind} ${object.metadata.name} must be namespaced in ${[...foreign].join(" or ")} (the app's project admits nothing else)`,
          );
        }
        const group = apiGroup(object.apiVersion);
        const kinds = foreignKinds.get(rendered.folder) ?? new Map<string, GroupKind>();
        kinds.set(`${group}/${object.kind}`, { group, kind: object.kind });
        foreignKinds.set(rendered.folder, kinds);
        continue;
      }
      if (isClusterScoped(object.kind)) {
        const group = apiGroup(object.apiVersion);
        clusterScoped.set(`${group}/${object.kind}`, { group, kind: object.kind });
      } else if (ns && !allowed.has(ns)) {
        throw new RenderError(
          environment,
          rendered.app.chart,
          `${object.kind} ${object.metadata.name} is in namespace "${ns}"; the platform deploys only into ${[...allowed].join(", ")}`,
        );
      } else if (ns) {
        namespaces.add(ns);
      }
    }
  }

  const folders: AppFolder[] = [
    // Namespaces are cluster-scoped; the destination namespace only satisfies the project.
    { name: NAMESPACES_FOLDER, namespace: OWNED_NAMESPACES[0], wave: WAVES.namespaces, autoscaled: [] },
    ...apps.map((rendered) => {
      const kinds = foreignKinds.get(rendered.folder);
      const foreign = rendered.app.foreignNamespaces?.(cluster);
      return {
        name: rendered.folder,
        namespace: rendered.app.namespace,
        wave: rendered.app.wave,
        autoscaled: rendered.autoscaled,
        ...(foreign ? { foreign: { namespaces: foreign, kinds: [...(kinds?.values() ?? [])] } } : {}),
      };
    }),
  ];
  const written: RenderedFolder[] = [
    ownFolder(cluster, NAMESPACES_FOLDER, namespaceObjects(cluster), "generators/render/namespaces.ts"),
    ...apps,
    ownFolder(
      cluster,
      ARGOCD_FOLDER,
      argocdObjects(cluster, folders, [...namespaces], [...clusterScoped.values()]),
      "generators/render/argocd.ts",
    ),
  ];

  const files = new Map<string, string>();
  const kustomizationHeader = yamlHeader(environment, "generators/render/kustomization.ts");
  for (const folder of written) {
    const base = `${clusterDir(environment)}/${folder.folder}`;
    for (const [name, content] of folder.files) files.set(`${base}/${name}`, content);
    files.set(`${base}/kustomization.yaml`, kustomizationHeader + toYaml(kustomization([...folder.files.keys()])));
  }
  files.set(tfvarsPath(environment), tfvarsText(cluster));
  for (const rendered of apps)
    files.set(ciValuesPath(rendered.app.chart, environment), ciValuesText(environment, rendered.app, rendered.values));
  files.set(
    grafanaValuesPath(environment),
    yamlHeader(environment, "generators/values/observability.ts") +
      toYaml(grafanaValuesFragment(observabilitySettings(cluster))),
  );
  return { environment, files, folders: [...written.map((folder) => folder.folder), GRAFANA_FOLDER] };
}
