import { objectRule } from "../../engine/define.ts";
import { desiredReplicas, obj, podSpec, selects } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-pdb-for-replicated",
  severity: "error",
  title: "Replicated workloads have a PodDisruptionBudget",
  rationale: "Without a PDB a node drain or cluster upgrade may evict every replica at once.",
  remediation: "Add a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the pod template labels.",
  applies: (object) => object.kind === "Deployment" || object.kind === "StatefulSet",
  each(object, all) {
    if (desiredReplicas(object, all) < 2) return [];
    const labels = podSpec(object)?.labels ?? {};
    const covered = all.some(
      (o) =>
        o.kind === "PodDisruptionBudget" &&
        o.namespace === object.namespace &&
        selects(obj(obj(o.body.spec).selector), labels),
    );
    return covered
      ? []
      : [
          {
            path: "spec.template.metadata.labels",
            message: `${object.kind} ${object.name} runs several replicas but no PodDisruptionBudget selects its pods`,
          },
        ];
  },
});
