// The changes that lose data or break a sync. Each has an id naming the risk and the object, so an
// author acknowledges exactly that one (`generate --acknowledge <id>`, or a commit trailer
// `Impact-Acknowledged: <id>: <reason>` for CI), and a procedure that does it safely.
import { parse } from "yaml";
import type { ClusterImpact, Parsed } from "./model.ts";
import { get, same } from "./values.ts";

export type RiskKind =
  | "clients-refused"
  | "immutable-field"
  | "prune"
  | "scale-down"
  | "retention-shortened"
  | "storage-shrink"
  | "terraform-replace";

export interface Risk {
  /** `<kind>@<env>/<Kind>/<name>` (or `…@<env>/<input>` for Terraform): what an acknowledgement names. */
  id: string;
  kind: RiskKind;
  /** What happens if this change is merged as it is. */
  summary: string;
  /** How to do it safely. */
  procedure: string;
}

/** Spec fields of a StatefulSet the API server lets an update change; any other change is refused. */
const STATEFULSET_MUTABLE = new Set([
  "replicas",
  "template",
  "updateStrategy",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
  "ordinals",
  "revisionHistoryLimit",
]);

/** `10Gi`, `512Mi`, `1T` → bytes (binary and decimal suffixes), for comparing sizes. */
export function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)([KMGTPE]i?)?$/.exec(quantity.trim());
  if (!match) return Number.NaN;
  const units: Record<string, number> = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const suffix = match[2] ?? "";
  const power = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 }[suffix];
  const factor = power !== undefined ? 1024 ** power : (units[suffix] ?? 1);
  return Number(match[1]) * factor;
}

/** Go duration (`336h`, `90m`) → hours. */
function hours(duration: string): number {
  let total = 0;
  for (const [, n, unit] of duration.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) {
    total += Number(n) / (unit === "h" ? 1 : unit === "m" ? 60 : 3600);
  }
  return total;
}

function claims(o: Parsed): Map<string, string> {
  const templates = (get(o.body, "spec", "volumeClaimTemplates") ?? []) as Record<string, unknown>[];
  return new Map(
    templates.map((t) => [
      String(get(t, "metadata", "name")),
      String(get(t, "spec", "resources", "requests", "storage")),
    ]),
  );
}

const ORPHAN_PROCEDURE = (o: Parsed) =>
  `the API server refuses this update, so every later sync of the app fails. Either keep the old value, or: ` +
  `pause the app's automated sync (clusters/README.md), \`kubectl -n ${o.ref.namespace} delete statefulset ${o.ref.name} --cascade=orphan\` ` +
  `(the pods and their volumes stay), resume the sync so Argo CD re-creates it with the new spec, then grow the existing ` +
  `PersistentVolumeClaims one by one (\`kubectl -n ${o.ref.namespace} patch pvc …\`); \`npm run validate -- --live --base <ref>\` shows the refusal offline`;

/** A removed StatefulSet is a scale-down to nothing: Argo CD prunes it, and its pods stop at once. */
function prunedStatefulSet(o: Parsed, at: string): Risk {
  const { name, namespace } = o.ref;
  const pods = Number(get(o.body, "spec", "replicas") ?? 1);
  const ingester = /ingester/.test(name);
  return {
    id: `prune@${at}`,
    kind: "prune",
    summary: ingester
      ? `StatefulSet ${name} (${pods} pods) leaves the tree (removed or renamed): Argo CD prunes it, its ingesters stop at once without flushing, and the traces whose every copy lived on them are lost (their WAL stays on the retained volumes, read by nothing)`
      : `StatefulSet ${name} (${pods} pods) leaves the tree (removed or renamed): Argo CD prunes it, and what its pods hold on their volumes (a persistent export queue, a WAL) is no longer read`,
    procedure: ingester
      ? `before the sync, keep Argo CD from pruning it: \`kubectl -n ${namespace} annotate statefulset ${name} argocd.argoproj.io/sync-options=Prune=false\`; sync, and wait for the new ingesters to be ready in the ring; then drain the old ones one at a time, highest ordinal first: \`kubectl -n ${namespace} port-forward pod/${name}-<n> 3200\`, \`curl -X POST localhost:3200/shutdown\` (it leaves the ring and flushes everything to storage), wait for it to leave /ingester/ring, \`kubectl -n ${namespace} scale statefulset ${name} --replicas=<n>\`; at 0, \`kubectl -n ${namespace} delete statefulset ${name}\` (docs/runbooks/tempo-ingester-failures.md, "Moving ingesters to other StatefulSets")`
      : `before the sync, keep Argo CD from pruning it (\`kubectl -n ${namespace} annotate statefulset ${name} argocd.argoproj.io/sync-options=Prune=false\`), stop traffic to it and let its queues drain (otelcol_exporter_queue_size = 0 on each pod, docs/runbooks/otel-collector-dropped-spans.md), then delete it`,
  };
}

/** What the OTLP receivers of a Collector ConfigMap ask of their clients. */
function clientDemands(o: Parsed): { tls: boolean; clientCert: boolean; minVersion: string } | undefined {
  const text = get(o.body, "data", "config.yaml");
  if (typeof text !== "string") return undefined;
  const protocols = get(parse(text), "receivers", "otlp", "protocols") as Record<string, unknown> | undefined;
  if (!protocols) return undefined;
  const tls = Object.values(protocols).map((p) => get(p, "tls") as Record<string, unknown> | undefined);
  return {
    tls: tls.some(Boolean),
    clientCert: tls.some((t) => Boolean(t?.client_ca_file)),
    minVersion:
      tls
        .map((t) => String(t?.min_version ?? ""))
        .sort()
        .at(-1) ?? "",
  };
}

/** A receiving Collector that starts refusing clients it accepted: plaintext, no certificate, old TLS. */
function clientsRefused(before: Parsed, after: Parsed, at: string): Risk | undefined {
  const was = clientDemands(before);
  const now = clientDemands(after);
  if (!was || !now) return undefined;
  const refused: string[] = [];
  if (now.tls && !was.tls) refused.push("services sending plaintext OTLP");
  if (now.clientCert && !was.clientCert)
    refused.push("services that present no client certificate from the platform CA");
  if (was.tls && now.tls && now.minVersion > was.minVersion)
    refused.push(`services that cannot speak TLS ${now.minVersion}`);
  if (refused.length === 0) return undefined;
  return {
    id: `clients-refused@${at}`,
    kind: "clients-refused",
    summary: `the Collector's OTLP receivers (ConfigMap ${after.ref.name}) start refusing ${refused.join(" and ")}: their spans and metrics are lost from the sync on (their SDKs count them as export failures)`,
    procedure:
      "first give every sending service what the receivers will ask for (client certificates: docs/prerequisites.md, \"Client certificates for prod's services\"), and check on a canary that otelcol_receiver_refused_spans and the SDKs' export failures stay at zero; then merge",
  };
}

export function risksOf(
  environment: string,
  old: Map<string, Parsed>,
  now: Map<string, Parsed>,
  impact: ClusterImpact,
): Risk[] {
  const risks: Risk[] = [];
  const at = (o: Parsed) => `${environment}/${o.ref.kind}/${o.ref.name}`;
  for (const [k, before] of old) {
    if (before.ref.kind === "StatefulSet" && !now.has(k)) risks.push(prunedStatefulSet(before, at(before)));
  }
  for (const [k, after] of now) {
    const before = old.get(k);
    if (!before) continue;
    if (after.ref.kind === "ConfigMap") {
      const risk = clientsRefused(before, after, at(after));
      if (risk) risks.push(risk);
    }
    if (after.ref.kind === "StatefulSet") {
      const spec = (o: Parsed) => (get(o.body, "spec") ?? {}) as Record<string, unknown>;
      const changed = [...new Set([...Object.keys(spec(before)), ...Object.keys(spec(after))])]
        .filter((field) => !STATEFULSET_MUTABLE.has(field) && !same(spec(before)[field], spec(after)[field]))
        .sort();
      if (changed.length > 0) {
        risks.push({
          id: `immutable-field@${at(after)}`,
          kind: "immutable-field",
          summary: `StatefulSet ${after.ref.name} changes ${changed.map((f) => `spec.${f}`).join(", ")}, which a running StatefulSet cannot change`,
          procedure: ORPHAN_PROCEDURE(after),
        });
      }
      for (const [name, size] of claims(after)) {
        const was = claims(before).get(name);
        if (was && bytes(size) < bytes(was)) {
          risks.push({
            id: `storage-shrink@${at(after)}`,
            kind: "storage-shrink",
            summary: `StatefulSet ${after.ref.name} shrinks its ${name} volumes from ${was} to ${size}: Kubernetes never shrinks a volume, and new pods would get smaller ones than the rest`,
            procedure:
              "keep the size; to really shrink, drain the component's data (ingesters: flush, /flush and /shutdown), delete the StatefulSet and its claims, and let Argo CD create them anew",
          });
        }
      }
      const from = Number(get(before.body, "spec", "replicas") ?? 1);
      const to = Number(get(after.body, "spec", "replicas") ?? 1);
      if (to < from) {
        const ingester = /ingester/.test(after.ref.name);
        risks.push({
          id: `scale-down@${at(after)}`,
          kind: "scale-down",
          summary: ingester
            ? `StatefulSet ${after.ref.name} goes from ${from} to ${to} pods: the surplus ingesters stop at once (Parallel pod management) without flushing, and traces whose replicas all lived on them are lost`
            : `StatefulSet ${after.ref.name} goes from ${from} to ${to} pods: what the surplus pods hold on their volumes (a persistent export queue, a WAL) is no longer read`,
          procedure: ingester
            ? `before merging, flush and leave the ring on each surplus ingester (highest ordinals first): \`kubectl -n ${after.ref.namespace} port-forward pod/${after.ref.name}-<n> 3200\`, then \`curl -X POST localhost:3200/shutdown\` and wait for the pod to leave /ingester/ring; then merge`
            : `before merging, stop traffic to the surplus pods and let their queues drain (otelcol_exporter_queue_size = 0 on each, docs/runbooks/otel-collector-dropped-spans.md), then merge`,
        });
      }
    }
    if (
      after.ref.kind === "Deployment" &&
      !same(get(before.body, "spec", "selector"), get(after.body, "spec", "selector"))
    ) {
      risks.push({
        id: `immutable-field@${at(after)}`,
        kind: "immutable-field",
        summary: `Deployment ${after.ref.name} changes spec.selector, which the API server refuses to update`,
        procedure: `keep the selector; or pause the app, \`kubectl -n ${after.ref.namespace} delete deployment ${after.ref.name}\`, resume the sync (its pods are re-created: a short outage of that component)`,
      });
    }
  }
  if (impact.retention) {
    const { from, to } = impact.retention;
    if (from !== "none" && to !== "none" && hours(to) < hours(from)) {
      risks.push({
        id: `retention-shortened@${environment}/tempo`,
        kind: "retention-shortened",
        summary: `Tempo's retention shrinks from ${from} to ${to}: the compactor deletes every block older than ${to} within its next cycles, for good`,
        procedure:
          "make sure nobody needs the traces between the two ages (incidents under investigation, audits); the Terraform bucket lifecycle follows the same model field",
      });
    }
  }
  for (const input of impact.terraform) {
    if (!input.replaces) continue;
    risks.push({
      id: `terraform-replace@${environment}/${input.key}`,
      kind: "terraform-replace",
      summary: `Terraform input ${input.key} changes from ${JSON.stringify(input.from)} to ${JSON.stringify(input.to)}: Terraform replaces the resource (a new, empty bucket or a new role the running pods do not assume)`,
      procedure:
        "plan it with `terraform plan` in terraform/environments/<env>/ first; moving traces means copying the bucket before Tempo switches, and a new role needs the service account annotation to follow in the same sync",
    });
  }
  return risks;
}
