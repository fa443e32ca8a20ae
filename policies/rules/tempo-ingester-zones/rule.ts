import { tempoConfigs } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { annotations, list, obj, podSpec } from "../../engine/workloads.ts";
import { tempoTarget, tempoWorkloads } from "../tempo-no-local-backend/rule.ts";

const ZONE_KEY = "topology.kubernetes.io/zone";
const WAVE = "argocd.argoproj.io/sync-wave";
const AFFINITY_PATH = "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";

/** The one zone a workload's pods are required to run in, or undefined when it is not pinned to exactly one. */
export function pinnedZone(workload: K8sObject): string | undefined {
  const affinity = obj(obj(obj(podSpec(workload)?.spec).affinity).nodeAffinity);
  const terms = list(obj(affinity.requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms);
  const zones = new Set<string>();
  for (const term of terms) {
    const expressions = list(obj(term).matchExpressions).map(obj);
    const zone = expressions.find((e) => e.key === ZONE_KEY && e.operator === "In");
    // A term without a zone requirement lets the pods run in any zone.
    if (!zone) return undefined;
    for (const value of list(zone.values)) zones.add(String(value));
  }
  return zones.size === 1 ? [...zones][0] : undefined;
}

/** Argo CD's sync wave of an object; unannotated objects are in wave 0. */
export function syncWave(object: K8sObject): number {
  return Number(annotations(object)[WAVE] ?? 0);
}

export default scopeRule({
  id: "tempo-ingester-zones",
  severity: "error",
  title: "Zone-aware ingesters run one set per zone, and no sync wave holds two zones",
  rationale:
    "A zone-aware ring keeps one copy of each trace per zone, so it survives a whole zone's ingesters down, but not two zones': a set spanning zones, or two zones' sets in one Argo CD sync wave (rolled out together), restarts copies of the same traces at once.",
  remediation:
    "Run one ingester StatefulSet per zone, each with required node affinity topology.kubernetes.io/zone In [<zone>], each in an argocd.argoproj.io/sync-wave of its own (apps/tempo: ingester.zones), over at least replication_factor zones.",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    const aware = tempoConfigs(objects).filter(
      ({ config }) => obj(obj(obj(config.ingester).lifecycler).ring).zone_awareness_enabled === true,
    );
    if (aware.length === 0) return out;
    const ingesters = tempoWorkloads(objects).filter((w) => tempoTarget(w) === "ingester");
    const zonesOfWave = new Map<number, Map<string, K8sObject>>();
    for (const set of ingesters) {
      const zone = pinnedZone(set);
      if (zone === undefined) {
        out.push({
          object: set,
          violation: {
            path: AFFINITY_PATH,
            message: `${set.kind} ${set.name} runs zone-aware ingesters without being pinned to one zone (required node affinity ${ZONE_KEY} In [<one zone>]): its pods may share a zone with another set's`,
          },
        });
        continue;
      }
      const wave = syncWave(set);
      const zones = zonesOfWave.get(wave) ?? new Map<string, K8sObject>();
      const other = [...zones].find(([z]) => z !== zone);
      if (other) {
        out.push({
          object: set,
          violation: {
            path: `metadata.annotations["${WAVE}"]`,
            message: `sync wave ${wave} holds ingesters of zone ${zone} (${set.name}) and of zone ${other[0]} (${other[1].name}): Argo CD rolls them out together, restarting two copies of the same traces`,
          },
        });
      }
      zones.set(zone, set);
      zonesOfWave.set(wave, zones);
    }
    const zones = new Set(ingesters.map(pinnedZone).filter((z) => z !== undefined));
    for (const { object, path, config } of aware) {
      const factor = Number(obj(obj(obj(config.ingester).lifecycler).ring).replication_factor ?? 1);
      if (zones.size < factor) {
        out.push({
          object,
          violation: {
            path: `${path}.ingester.lifecycler.ring.zone_awareness_enabled`,
            message: `zone-aware with replication_factor ${factor}, but the ingesters are pinned to ${zones.size} zone(s) (${[...zones].sort().join(", ") || "none"}): a trace's copies need ${factor} zones`,
          },
        });
      }
    }
    return out;
  },
});
