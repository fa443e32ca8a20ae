// One chart on one cluster: values from the model → helm template → one canonical file per
// object, plus the facts the Argo CD objects need (namespaces, cluster-scoped kinds, HPA targets).
import { join } from "node:path";
import type { ChartApp } from "../apps.ts";
import type { Cluster } from "../model/types.ts";
import type { ResourceRef } from "./argocd.ts";
import { yamlHeader } from "./header.ts";
import { HelmError, helmCommandLine, helmTemplate } from "./helm.ts";
import { apiGroup, asKubeObject, describeObject, fileNameOf, isClusterScoped, type KubeObject } from "./objects.ts";
import { parseDocuments, toYaml } from "./yaml.ts";

/** A failure while rendering: names the cluster, the chart and what went wrong. */
export class RenderError extends Error {
  constructor(environment: string, chart: string, message: string) {
    super(`cluster ${environment}, chart ${chart}: ${message}`);
    this.name = "RenderError";
  }
}

export interface RenderedFolder {
  /** Folder under clusters/<env>/. */
  folder: string;
  /** File name → content. */
  files: Map<string, string>;
  objects: KubeObject[];
}

export interface RenderedApp extends RenderedFolder {
  app: ChartApp;
  autoscaled: ResourceRef[];
  /** The values helm rendered it with (also written as the chart's ci/<env>-values.yaml). */
  values: Record<string, unknown>;
}

/** Writes objects as files with the header, refusing two objects that would share a file. */
export function objectFiles(objects: readonly KubeObject[], header: string, source: string): Map<string, string> {
  const files = new Map<string, string>();
  const owners = new Map<string, string>();
  for (const object of objects) {
    const name = fileNameOf(object);
    const previous = owners.get(name);
    if (previous)
      throw new Error(`${source}: ${describeObject(object)} and ${previous} would both be written to ${name}`);
    owners.set(name, describeObject(object));
    files.set(name, header + toYaml(object));
  }
  return files;
}

function hpaTargets(objects: readonly KubeObject[], fail: (message: string) => never): ResourceRef[] {
  const targets: ResourceRef[] = [];
  for (const hpa of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
    const ref = (hpa.spec as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } } | undefined)
      ?.scaleTargetRef;
    const target = objects.find(
      (o) => o.kind === ref?.kind && o.metadata.name === ref?.name && o.apiVersion === ref?.apiVersion,
    );
    if (!ref || !target) {
      fail(`${describeObject(hpa)} scales ${ref?.kind ?? "?"} ${ref?.name ?? "?"}, which the chart does not render`);
    }
    if ((target.spec as Record<string, unknown> | undefined)?.replicas !== undefined) {
      fail(
        `${describeObject(target)} sets spec.replicas although ${describeObject(hpa)} scales it (Argo CD would fight the autoscaler)`,
      );
    }
    targets.push({
      group: apiGroup(target.apiVersion),
      kind: target.kind,
      name: target.metadata.name,
      ...(target.metadata.namespace ? { namespace: target.metadata.namespace } : {}),
    });
  }
  return targets;
}

export async function renderApp(root: string, cluster: Cluster, app: ChartApp): Promise<RenderedApp> {
  const environment = cluster.identity.environment;
  const fail = (message: string): never => {
    throw new RenderError(environment, app.chart, message);
  };
  const request = {
    release: app.release,
    chartDir: join(root, app.chart),
    namespace: app.namespace,
    kubeVersion: cluster.identity.kubernetesVersion,
    values: app.values(cluster),
  };
  let stream: string;
  try {
    stream = await helmTemplate(request);
  } catch (error) {
    if (error instanceof HelmError) fail(`helm template failed: ${error.message}`);
    throw error;
  }
  const source = `${app.chart} (${environment})`;
  const objects = parseDocuments(stream, source).map((value) => asKubeObject(value, source));
  for (const object of objects) {
    if (object.kind === "Namespace") {
      fail(`renders ${describeObject(object)}; namespaces are created by the generators (render/namespaces.ts)`);
    }
    // helm install would put these in the release namespace; say so in Git instead of relying on it.
    if (!isClusterScoped(object.kind) && !object.metadata.namespace) object.metadata.namespace = app.namespace;
  }
  const autoscaled = hpaTargets(objects, fail);
  const header = yamlHeader(environment, helmCommandLine(request, app.chart));
  let files: Map<string, string>;
  try {
    files = objectFiles(objects, header, source);
  } catch (error) {
    return fail((error as Error).message);
  }
  return { app, folder: app.name, files, objects, autoscaled, values: request.values };
}
