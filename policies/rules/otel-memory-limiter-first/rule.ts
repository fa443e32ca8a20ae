import { collectorConfigs, componentType } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { list, obj } from "../../engine/workloads.ts";

export default scopeRule({
  id: "otel-memory-limiter-first",
  severity: "error",
  title: "Every Collector traces pipeline starts with memory_limiter",
  rationale:
    "Only a memory_limiter placed first can refuse data before the other processors buffer it; elsewhere the Collector is OOM-killed under load.",
  remediation: "Make memory_limiter the first entry of processors in each traces pipeline.",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const { object, path, config } of collectorConfigs(objects)) {
      for (const [id, pipeline] of Object.entries(obj(obj(config.service).pipelines))) {
        if (componentType(id) !== "traces") continue;
        const first = list(obj(pipeline).processors)[0];
        if (first === undefined || componentType(String(first)) !== "memory_limiter") {
          out.push({
            object,
            violation: {
              path: `${path}.service.pipelines["${id}"].processors[0]`,
              message: `pipeline ${id} starts with ${first === undefined ? "no processor" : String(first)}`,
            },
          });
        }
      }
    }
    return out;
  },
});
