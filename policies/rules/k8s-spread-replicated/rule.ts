import { objectRule } from "../../engine/define.ts";
import { desiredReplicas, list, obj, podSpec } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-spread-replicated",
  severity: "error",
  title: "Replicated workloads spread across nodes or zones",
  rationale: "Replicas scheduled onto one node or zone all fail together, which defeats running several.",
  remediation:
    "Add topologySpreadConstraints (topology.kubernetes.io/zone, kubernetes.io/hostname) or a podAntiAffinity.",
  applies: (object) => object.kind === "Deployment" || object.kind === "StatefulSet",
  each(object, all) {
    if (desiredReplicas(object, all) < 2) return [];
    const spec = podSpec(object)?.spec ?? {};
    const spread = list(spec.topologySpreadConstraints).length > 0;
    const anti = obj(obj(spec.affinity).podAntiAffinity);
    const hasAnti =
      list(anti.requiredDuringSchedulingIgnoredDuringExecution).length > 0 ||
      list(anti.preferredDuringSchedulingIgnoredDuringExecution).length > 0;
    return spread || hasAnti
      ? []
      : [
          {
            path: "spec.template.spec.topologySpreadConstraints",
            message: `${object.kind} ${object.name} runs several replicas with no topology spread or pod anti-affinity`,
          },
        ];
  },
});
