import { objectRule } from "../../engine/define.ts";
import { isKustomization } from "../../engine/load.ts";
import { CLUSTER_SCOPED_KINDS } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-no-default-namespace",
  severity: "error",
  title: "Namespaced objects name a namespace other than default",
  rationale:
    "Objects in `default` escape the per-namespace policies; objects without a namespace land wherever the applier points, which review cannot see.",
  remediation: "Set metadata.namespace explicitly to the application's namespace.",
  applies: (object) => object.kind !== "" && !CLUSTER_SCOPED_KINDS.has(object.kind) && !isKustomization(object),
  each(object) {
    if (object.namespace === "")
      return [{ path: "metadata.namespace", message: `${object.kind} ${object.name} has no metadata.namespace` }];
    if (object.namespace === "default")
      return [{ path: "metadata.namespace", message: `${object.kind} ${object.name} is in the default namespace` }];
    return [];
  },
});
