import { objectRule } from "../../engine/define.ts";
import { hpaFor, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-hpa-no-replicas",
  severity: "error",
  title: "HPA-managed workloads leave replicas out of Git",
  rationale: "Argo CD would reset spec.replicas to the Git value on every sync, fighting the autoscaler.",
  remediation: "Drop spec.replicas from Deployments and StatefulSets that a HorizontalPodAutoscaler targets.",
  applies: (object) => object.kind === "Deployment" || object.kind === "StatefulSet",
  each(object, all) {
    if (obj(object.body.spec).replicas === undefined || !hpaFor(object, all)) return [];
    return [
      { path: "spec.replicas", message: `${object.kind} ${object.name} is scaled by an HPA but sets spec.replicas` },
    ];
  },
});
