import { collectorConfigs, componentType } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { list, obj } from "../../engine/workloads.ts";

export default scopeRule({
  id: "otel-tail-sampling-behind-lb",
  severity: "error",
  title: "Tail sampling runs only behind trace-ID load balancing",
  rationale:
    "tail_sampling decides per trace; if a trace's spans reach different instances each sees a fragment and decides wrongly.",
  remediation:
    "Put a front tier with the load_balancing exporter (routing_key: traceID) in front of the tail_sampling gateway.",
  check(objects) {
    const configs = collectorConfigs(objects);
    const balancedByTrace = configs.some(({ config }) =>
      Object.entries(obj(config.exporters)).some(([id, exporter]) => {
        if (componentType(id) !== "load_balancing") return false;
        const key = obj(exporter).routing_key;
        return key === undefined || key === "traceID";
      }),
    );
    if (balancedByTrace) return [];
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const { object, path, config } of configs) {
      for (const [id, pipeline] of Object.entries(obj(obj(config.service).pipelines))) {
        const processors = list(obj(pipeline).processors).map(String);
        const at = processors.findIndex((p) => componentType(p) === "tail_sampling");
        if (at >= 0) {
          out.push({
            object,
            violation: {
              path: `${path}.service.pipelines["${id}"].processors[${at}]`,
              message: `pipeline ${id} tail-samples but no Collector config in this cluster load-balances by traceID`,
            },
          });
        }
      }
    }
    return out;
  },
});
