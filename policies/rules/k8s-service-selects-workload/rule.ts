import { objectRule } from "../../engine/define.ts";
import { obj, workloadsSelectedBy } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-service-selects-workload",
  severity: "error",
  title: "Every Service selects pods of a workload in its namespace",
  rationale:
    "A Service whose selector matches no pod template has no endpoints: clients time out with nothing in the logs.",
  remediation:
    "Make spec.selector a subset of the target workload's pod template labels (usually name + instance + component).",
  applies: (object) => object.kind === "Service" && object.apiVersion === "v1",
  each(object, all) {
    const spec = obj(object.body.spec);
    if (spec.type === "ExternalName") return [];
    const selector = obj(spec.selector);
    if (Object.keys(selector).length === 0)
      return [{ path: "spec.selector", message: `Service ${object.name} has no selector` }];
    return workloadsSelectedBy(selector, object.namespace, all, true).length > 0
      ? []
      : [
          {
            path: "spec.selector",
            message: `Service ${object.name} selects ${JSON.stringify(selector)}, which no workload's pods carry`,
          },
        ];
  },
});
