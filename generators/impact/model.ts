// What a change of the rendered tree does to one cluster, computed from the two trees alone
// (before → after; each a map of repository path → text, as `generate` holds them or as git has
// them at a revision). Pure: no cluster, no network. Every finding is a fact about the objects:
// which workloads roll and how many pods, what is created and pruned, storage, retention,
// sampling, replicas, Terraform inputs, and the changes a running cluster refuses or that lose data.
import { holdsObjects } from "../../scripts/cluster-files.ts";
import { parseDocuments } from "../render/yaml.ts";
import { type Risk, risksOf } from "./risks.ts";
import { get, same } from "./values.ts";

export interface ObjectRef {
  app: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface Rollout {
  ref: ObjectRef;
  /** Pods replaced: the replica count, or the HPA's range when one scales the workload. */
  pods: string;
  /** How they are replaced (one at a time, surge …). */
  how: string;
  /** Which parts of the pod template changed (image, config checksum, resources, …). */
  why: string[];
}

export interface Change<T> {
  ref: ObjectRef;
  from: T;
  to: T;
}

export interface Updated {
  ref: ObjectRef;
  /** The fields that differ (deepest paths, at most a few), e.g. `spec.replicas`. */
  fields: string[];
}

export interface ClusterImpact {
  environment: string;
  created: ObjectRef[];
  pruned: ObjectRef[];
  /** Objects changed without rolling pods (Services, policies, HPA ranges, replicas, …). */
  updated: Updated[];
  rollouts: Rollout[];
  replicas: Change<string>[];
  storage: Change<string>[];
  retention: Change<string> | null;
  sampling: Change<SamplingPolicy[]> | null;
  terraform: { key: string; from: unknown; to: unknown; replaces: boolean }[];
  risks: Risk[];
}

export type Tree = Map<string, string>;

export interface Parsed {
  ref: ObjectRef;
  apiVersion: string;
  body: Record<string, unknown>;
}

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

function key(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

/** The objects of clusters/<env>/<app>/ files (kustomizations and values fragments left out). */
export function objectsOf(tree: Tree, environment: string): Map<string, Parsed> {
  const objects = new Map<string, Parsed>();
  const prefix = `clusters/${environment}/`;
  for (const [path, text] of [...tree].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!path.startsWith(prefix) || !holdsObjects(path)) continue;
    const app = path.slice(prefix.length).split("/")[0] ?? "";
    for (const body of parseDocuments(text, path)) {
      const kind = String(body.kind ?? "");
      const apiVersion = String(body.apiVersion ?? "");
      if (!kind || apiVersion.startsWith("kustomize.config.k8s.io/")) continue;
      const metadata = (body.metadata ?? {}) as { name?: string; namespace?: string };
      const ref = { app, kind, namespace: metadata.namespace ?? "", name: metadata.name ?? "" };
      objects.set(key(ref), { ref, apiVersion, body });
    }
  }
  return objects;
}

const MAX_FIELDS = 4;

/** The deepest paths where two values differ (list items by name where they have one). */
export function changedFields(a: unknown, b: unknown, at = ""): string[] {
  if (same(a, b)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    const found = keys.flatMap((k) => changedFields(a[k], b[k], at ? `${at}.${k}` : k));
    return found.length > MAX_FIELDS ? [...found.slice(0, MAX_FIELDS), `… ${found.length - MAX_FIELDS} more`] : found;
  }
  return [at || "(whole object)"];
}

/** What differs between two pod templates, in a reviewer's words. */
function templateChanges(before: unknown, after: unknown): string[] {
  const why: string[] = [];
  const annotations = (t: unknown) => (get(t, "metadata", "annotations") ?? {}) as Record<string, string>;
  const a = annotations(before);
  const b = annotations(after);
  for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[name] !== b[name]) why.push(name.includes("checksum") ? `config (${name})` : `annotation ${name}`);
  }
  const containers = (t: unknown) => (get(t, "spec", "containers") ?? []) as Record<string, unknown>[];
  const before_ = containers(before);
  for (const c of containers(after)) {
    const old = before_.find((o) => o.name === c.name);
    if (!old) {
      why.push(`container ${c.name} added`);
      continue;
    }
    if (old.image !== c.image) why.push(`image ${old.image} → ${c.image}`);
    if (!same(old.resources, c.resources)) why.push(`resources of ${c.name}`);
    if (!same(old.args, c.args) || !same(old.env, c.env)) why.push(`args or env of ${c.name}`);
  }
  if (why.length === 0 && !same(before, after)) why.push("pod spec");
  return why;
}

/** Which workloads an HPA scales, with its range. */
function hpaRanges(objects: Map<string, Parsed>): Map<string, string> {
  const ranges = new Map<string, string>();
  for (const o of objects.values()) {
    if (o.ref.kind !== "HorizontalPodAutoscaler") continue;
    const target = get(o.body, "spec", "scaleTargetRef") as { kind?: string; name?: string } | undefined;
    const min = get(o.body, "spec", "minReplicas") ?? 1;
    const max = get(o.body, "spec", "maxReplicas");
    if (target?.kind && target.name)
      ranges.set(`${target.kind}/${o.ref.namespace}/${target.name}`, `${min}–${max} (HPA)`);
  }
  return ranges;
}

function replicasOf(o: Parsed, hpa: Map<string, string>): string {
  return hpa.get(key(o.ref)) ?? String(get(o.body, "spec", "replicas") ?? 1);
}

function howItRolls(o: Parsed): string {
  if (o.ref.kind === "StatefulSet") {
    const policy = get(o.body, "spec", "podManagementPolicy") ?? "OrderedReady";
    const max = get(o.body, "spec", "updateStrategy", "rollingUpdate", "maxUnavailable") ?? 1;
    return `one pod at a time (RollingUpdate, maxUnavailable ${max}, ${policy}); each waits for the previous to be Ready`;
  }
  if (o.ref.kind === "Deployment") {
    const surge = get(o.body, "spec", "strategy", "rollingUpdate", "maxSurge") ?? "25%";
    const unavailable = get(o.body, "spec", "strategy", "rollingUpdate", "maxUnavailable") ?? "25%";
    return `rolling (maxSurge ${surge}, maxUnavailable ${unavailable})`;
  }
  return "rolling, node by node";
}

function storageOf(o: Parsed): string {
  const templates = (get(o.body, "spec", "volumeClaimTemplates") ?? []) as Record<string, unknown>[];
  return templates
    .map((t) => `${get(t, "metadata", "name")}=${get(t, "spec", "resources", "requests", "storage")}`)
    .join(", ");
}

/** Tempo's block retention, read from the rendered Tempo config. */
function retentionOf(objects: Map<string, Parsed>): string | null {
  for (const o of objects.values()) {
    if (o.ref.kind !== "ConfigMap" || o.ref.app !== "tempo") continue;
    const text = get(o.body, "data", "tempo.yaml");
    if (typeof text !== "string") continue;
    const config = parseDocuments(text, "tempo.yaml")[0];
    const retention = get(config, "compactor", "compaction", "block_retention");
    if (typeof retention === "string") return retention;
  }
  return null;
}

/**
 * The share of ordinary traces (no error, not slow, no service rule) tail sampling keeps: the
 * largest top-level probabilistic policy (they hash the same trace id, so they overlap rather
 * than add up); 0 when there is none.
 */
export function ordinaryShare(policies: readonly SamplingPolicy[]): number {
  return Math.max(0, ...policies.filter((p) => p.type === "probabilistic").map((p) => p.percent ?? 0));
}

/** A tail-sampling policy as the rendered gateway config has it: name, type, and its share if any. */
export interface SamplingPolicy {
  name: string;
  type: string;
  /** The probabilistic share, of the policy or of its `and` sub-policy. */
  percent?: number;
}

/** The gateway's tail-sampling policies, or null without one. */
function samplingOf(objects: Map<string, Parsed>): SamplingPolicy[] | null {
  for (const o of objects.values()) {
    if (o.ref.kind !== "ConfigMap" || o.ref.app !== "otel-collector") continue;
    const text = get(o.body, "data", "config.yaml");
    if (typeof text !== "string") continue;
    const policies = get(parseDocuments(text, "config.yaml")[0], "processors", "tail_sampling", "policies");
    if (!Array.isArray(policies)) continue;
    return policies.map((p: Record<string, unknown>) => {
      const percent =
        get(p, "probabilistic", "sampling_percentage") ??
        ((get(p, "and", "and_sub_policy") ?? []) as Record<string, unknown>[])
          .map((s) => get(s, "probabilistic", "sampling_percentage"))
          .find((v) => v !== undefined);
      const policy: SamplingPolicy = { name: String(p.name), type: String(p.type) };
      return percent === undefined ? policy : { ...policy, percent: Number(percent) };
    });
  }
  return null;
}

function tfvarsOf(tree: Tree, environment: string): Record<string, unknown> {
  const text = tree.get(`terraform/environments/${environment}/cluster.auto.tfvars.json`);
  if (!text) return {};
  const { "//": _, ...vars } = JSON.parse(text) as Record<string, unknown>;
  return vars;
}

/** Terraform inputs whose change replaces the resource rather than updating it in place. */
const REPLACING_INPUTS = new Set(["bucket_name", "tempo_role_name", "aws_region", "aws_account_id", "cluster_name"]);

export function computeImpact(before: Tree, after: Tree, environment: string): ClusterImpact {
  const old = objectsOf(before, environment);
  const now = objectsOf(after, environment);
  const oldHpa = hpaRanges(old);
  const newHpa = hpaRanges(now);
  const impact: ClusterImpact = {
    environment,
    created: [],
    pruned: [],
    updated: [],
    rollouts: [],
    replicas: [],
    storage: [],
    retention: null,
    sampling: null,
    terraform: [],
    risks: [],
  };
  for (const [k, o] of now) if (!old.has(k)) impact.created.push(o.ref);
  for (const [k, o] of old) if (!now.has(k)) impact.pruned.push(o.ref);
  for (const [k, after_] of now) {
    const before_ = old.get(k);
    if (!before_ || same(before_.body, after_.body)) continue;
    const ref = after_.ref;
    if (WORKLOADS.has(ref.kind)) {
      const template = (o: Parsed) => get(o.body, "spec", "template");
      if (!same(template(before_), template(after_))) {
        impact.rollouts.push({
          ref,
          pods: replicasOf(after_, newHpa),
          how: howItRolls(after_),
          why: templateChanges(template(before_), template(after_)),
        });
      } else {
        impact.updated.push({ ref, fields: changedFields(before_.body, after_.body) });
      }
      const from = replicasOf(before_, oldHpa);
      const to = replicasOf(after_, newHpa);
      if (from !== to) impact.replicas.push({ ref, from, to });
      if (ref.kind === "StatefulSet" && storageOf(before_) !== storageOf(after_)) {
        impact.storage.push({ ref, from: storageOf(before_), to: storageOf(after_) });
      }
    } else {
      impact.updated.push({ ref, fields: changedFields(before_.body, after_.body) });
    }
  }
  const [retentionBefore, retentionAfter] = [retentionOf(old), retentionOf(now)];
  if (retentionBefore !== retentionAfter) {
    impact.retention = {
      ref: { app: "tempo", kind: "ConfigMap", namespace: "tempo", name: "tempo-config" },
      from: retentionBefore ?? "none",
      to: retentionAfter ?? "none",
    };
  }
  const [samplingBefore, samplingAfter] = [samplingOf(old), samplingOf(now)];
  if (!same(samplingBefore, samplingAfter)) {
    impact.sampling = {
      ref: { app: "otel-collector", kind: "ConfigMap", namespace: "otel-collector", name: "tail_sampling" },
      from: samplingBefore ?? [],
      to: samplingAfter ?? [],
    };
  }
  const tfBefore = tfvarsOf(before, environment);
  const tfAfter = tfvarsOf(after, environment);
  for (const name of [...new Set([...Object.keys(tfBefore), ...Object.keys(tfAfter)])].sort()) {
    if (same(tfBefore[name], tfAfter[name])) continue;
    impact.terraform.push({
      key: name,
      from: tfBefore[name],
      to: tfAfter[name],
      replaces: REPLACING_INPUTS.has(name) && tfBefore[name] !== undefined,
    });
  }
  impact.risks = risksOf(environment, old, now, impact);
  // An update the API server refuses is no update: the risk says what happens instead.
  const refused = new Set(
    impact.risks.filter((r) => r.kind === "immutable-field").map((r) => r.id.split("/").slice(1).join("/")),
  );
  impact.updated = impact.updated.filter((u) => !refused.has(`${u.ref.kind}/${u.ref.name}`));
  return impact;
}

/** Whether the change does anything at all to the cluster or its Terraform inputs. */
export function isEmpty(impact: ClusterImpact): boolean {
  return (
    impact.created.length +
      impact.pruned.length +
      impact.updated.length +
      impact.rollouts.length +
      impact.replicas.length +
      impact.storage.length +
      impact.terraform.length +
      impact.risks.length ===
      0 &&
    impact.retention === null &&
    impact.sampling === null
  );
}
