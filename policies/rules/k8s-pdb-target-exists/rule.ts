import { objectRule } from "../../engine/define.ts";
import { obj, workloadsSelectedBy } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-pdb-target-exists",
  severity: "error",
  title: "Every PodDisruptionBudget selects pods of a workload that exists",
  rationale: "A PDB whose selector matches nothing protects nothing, while looking like it does.",
  remediation: "Make spec.selector match the pod template labels of the workload it protects.",
  applies: (object) => object.kind === "PodDisruptionBudget",
  each(object, all) {
    const selector = obj(obj(object.body.spec).selector);
    return workloadsSelectedBy(selector, object.namespace, all).length > 0
      ? []
      : [
          {
            path: "spec.selector",
            message: `PodDisruptionBudget ${object.name} selects no workload's pods in namespace ${object.namespace}`,
          },
        ];
  },
});
