// Helpers shared by the Kubernetes rules: finding the pod template of a workload, walking its
// containers with their field paths, matching label selectors.
import type { K8sObject } from "./types.ts";

export type Json = Record<string, unknown>;

export const WORKLOAD_KINDS = new Set([
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "Job",
  "CronJob",
  "Pod",
]);
/** Workloads whose pods serve continuously (probes, PDBs and spread make sense for them). */
export const SERVING_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"]);
export const CLUSTER_SCOPED_KINDS = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "CustomResourceDefinition",
  "PersistentVolume",
  "StorageClass",
  "PriorityClass",
  "IngressClass",
  "RuntimeClass",
  "CSIDriver",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "Node",
  "VolumeAttachment",
]);

export function obj(value: unknown): Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function isWorkload(object: K8sObject): boolean {
  return (
    WORKLOAD_KINDS.has(object.kind) &&
    (object.apiVersion === "v1" || object.apiVersion.startsWith("apps/") || object.apiVersion.startsWith("batch/"))
  );
}

/** The pod spec of a workload and its field path; null for anything that has none. */
export function podSpec(object: K8sObject): { spec: Json; path: string; labels: Json; labelsPath: string } | null {
  const body = object.body;
  switch (object.kind) {
    case "Pod":
      return {
        spec: obj(body.spec),
        path: "spec",
        labels: obj(obj(body.metadata).labels),
        labelsPath: "metadata.labels",
      };
    case "CronJob": {
      const template = obj(obj(obj(obj(body.spec).jobTemplate).spec).template);
      return {
        spec: obj(template.spec),
        path: "spec.jobTemplate.spec.template.spec",
        labels: obj(obj(template.metadata).labels),
        labelsPath: "spec.jobTemplate.spec.template.metadata.labels",
      };
    }
    default: {
      if (!WORKLOAD_KINDS.has(object.kind)) return null;
      const template = obj(obj(body.spec).template);
      return {
        spec: obj(template.spec),
        path: "spec.template.spec",
        labels: obj(obj(template.metadata).labels),
        labelsPath: "spec.template.metadata.labels",
      };
    }
  }
}

export interface ContainerRef {
  container: Json;
  path: string;
  name: string;
  init: boolean;
}

/** Every container (init containers included, marked) with its field path. */
export function containers(object: K8sObject): ContainerRef[] {
  const pod = podSpec(object);
  if (!pod) return [];
  const out: ContainerRef[] = [];
  for (const [key, init] of [
    ["initContainers", true],
    ["containers", false],
  ] as const) {
    list(pod.spec[key]).forEach((c, i) => {
      const container = obj(c);
      out.push({ container, path: `${pod.path}.${key}[${i}]`, name: String(container.name ?? i), init });
    });
  }
  return out;
}

/** The replica count a workload asks for (HPA minReplicas when an HPA owns it). */
export function desiredReplicas(object: K8sObject, all: readonly K8sObject[]): number {
  if (object.kind === "DaemonSet") return 2; // one per node: always more than one pod in a real cluster
  if (object.kind !== "Deployment" && object.kind !== "StatefulSet" && object.kind !== "ReplicaSet") return 1;
  const hpa = hpaFor(object, all);
  if (hpa) return Number(obj(hpa.body.spec).minReplicas ?? 1);
  const replicas = obj(object.body.spec).replicas;
  return typeof replicas === "number" ? replicas : 1;
}

export function hpaFor(object: K8sObject, all: readonly K8sObject[]): K8sObject | undefined {
  return all.find((o) => {
    if (o.kind !== "HorizontalPodAutoscaler" || o.namespace !== object.namespace) return false;
    const ref = obj(obj(o.body.spec).scaleTargetRef);
    return ref.kind === object.kind && ref.name === object.name;
  });
}

/** Whether a label selector ({matchLabels, matchExpressions} or a plain map) selects these labels. */
export function selects(selector: Json, labels: Json, plainMap = false): boolean {
  const matchLabels = plainMap ? selector : obj(selector.matchLabels);
  const expressions = plainMap ? [] : list(selector.matchExpressions).map(obj);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return !plainMap;
  for (const [key, value] of Object.entries(matchLabels)) if (labels[key] !== value) return false;
  for (const expression of expressions) {
    const key = String(expression.key);
    const values = list(expression.values).map(String);
    const has = key in labels;
    switch (expression.operator) {
      case "In":
        if (!has || !values.includes(String(labels[key]))) return false;
        break;
      case "NotIn":
        if (has && values.includes(String(labels[key]))) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Workloads of the namespace whose pods carry labels the selector matches. */
export function workloadsSelectedBy(
  selector: Json,
  namespace: string,
  all: readonly K8sObject[],
  plainMap = false,
): K8sObject[] {
  return all.filter((o) => {
    if (o.namespace !== namespace || !isWorkload(o)) return false;
    const pod = podSpec(o);
    return pod ? selects(selector, pod.labels, plainMap) : false;
  });
}

export function annotations(object: K8sObject): Json {
  return obj(obj(object.body.metadata).annotations);
}

export function labels(object: K8sObject): Json {
  return obj(obj(object.body.metadata).labels);
}

/** Embedded YAML configs (Tempo, Collector) live in ConfigMap data values. */
export function configMapData(object: K8sObject): [string, string][] {
  if (object.kind !== "ConfigMap") return [];
  return Object.entries(obj(object.body.data)).filter((e): e is [string, string] => typeof e[1] === "string");
}
