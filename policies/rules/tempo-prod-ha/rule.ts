import { tempoConfigs } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { desiredReplicas, obj } from "../../engine/workloads.ts";
import { tempoTarget, tempoWorkloads } from "../tempo-no-local-backend/rule.ts";

export default scopeRule({
  id: "tempo-prod-ha",
  severity: "error",
  title: "Tempo in prod replicates every trace 3 times over at least 3 ingesters, in 3 zones",
  rationale:
    "With replication factor 1 (Tempo's default) losing one ingester loses the traces it held in memory and WAL; with a zone-blind ring a zone may hold two or all three copies of a trace, so losing a zone loses it.",
  remediation:
    "Set ingester.lifecycler.ring.replication_factor: 3 and zone_awareness_enabled: true, and run at least 3 ingesters, each zone's in their own set (tempo.ingester.zoneAware in the model).",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    const configs = tempoConfigs(objects).filter((c) => c.object.environment === "prod");
    for (const { object, path, config } of configs) {
      const factor = obj(obj(obj(config.ingester).lifecycler).ring).replication_factor;
      if (factor !== 3) {
        out.push({
          object,
          violation: {
            path: `${path}.ingester.lifecycler.ring.replication_factor`,
            message: `replication_factor is ${String(factor ?? "unset (1)")}, prod needs 3`,
          },
        });
      }
      if (obj(obj(obj(config.ingester).lifecycler).ring).zone_awareness_enabled !== true) {
        out.push({
          object,
          violation: {
            path: `${path}.ingester.lifecycler.ring.zone_awareness_enabled`,
            message:
              "the ingester ring is zone-blind: a zone may hold two of a trace's three copies, and prod must survive losing a zone",
          },
        });
      }
    }
    const workloads = tempoWorkloads(objects).filter((w) => w.environment === "prod");
    const ingesters = workloads.filter((w) => tempoTarget(w) === "ingester");
    const total = ingesters.reduce((n, w) => n + desiredReplicas(w, objects), 0);
    const anchor = ingesters[0] ?? workloads[0] ?? configs[0]?.object;
    if (anchor && total < 3) {
      out.push({
        object: anchor,
        violation: { path: "spec.replicas", message: `prod runs ${total} Tempo ingester replica(s), needs at least 3` },
      });
    }
    return out;
  },
});
