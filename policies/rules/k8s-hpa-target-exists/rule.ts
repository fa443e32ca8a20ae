import { objectRule } from "../../engine/define.ts";
import { obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-hpa-target-exists",
  severity: "error",
  title: "Every HorizontalPodAutoscaler targets a workload that exists",
  rationale: "An HPA pointing at a renamed or missing workload scales nothing and reports no error in Git.",
  remediation: "Point spec.scaleTargetRef at the Deployment/StatefulSet (kind, name) in the same namespace.",
  applies: (object) => object.kind === "HorizontalPodAutoscaler",
  each(object, all) {
    const ref = obj(obj(object.body.spec).scaleTargetRef);
    const found = all.some((o) => o.kind === ref.kind && o.name === ref.name && o.namespace === object.namespace);
    return found
      ? []
      : [
          {
            path: "spec.scaleTargetRef",
            message: `no ${String(ref.kind)} "${String(ref.name)}" in namespace ${object.namespace}`,
          },
        ];
  },
});
