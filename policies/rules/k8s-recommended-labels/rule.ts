import { objectRule } from "../../engine/define.ts";
import { isWorkload, labels } from "../../engine/workloads.ts";

export const RECOMMENDED_LABELS = ["name", "instance", "version", "component", "part-of", "managed-by"].map(
  (l) => `app.kubernetes.io/${l}`,
);

export default objectRule({
  id: "k8s-recommended-labels",
  severity: "error",
  title: "Workloads and Services carry the recommended app.kubernetes.io labels",
  rationale: "Dashboards, alerts, cost reports and `kubectl get -l` rely on one labelling scheme across every app.",
  remediation: `Set ${RECOMMENDED_LABELS.join(", ")} in metadata.labels.`,
  applies: (object) => isWorkload(object) || (object.kind === "Service" && object.apiVersion === "v1"),
  each(object) {
    const present = labels(object);
    const missing = RECOMMENDED_LABELS.filter((l) => typeof present[l] !== "string" || present[l] === "");
    return missing.length === 0 ? [] : [{ path: "metadata.labels", message: `missing ${missing.join(", ")}` }];
  },
});
