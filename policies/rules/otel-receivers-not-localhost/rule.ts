import { collectorConfigs, componentType } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { obj } from "../../engine/workloads.ts";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)(:\d+)?$/;

export default scopeRule({
  id: "otel-receivers-not-localhost",
  severity: "error",
  title: "The Collector's OTLP receivers listen beyond localhost",
  rationale: "Since v0.104 the Collector binds localhost by default: in a pod that means no other pod can send spans.",
  remediation:
    "Set receivers.otlp.protocols.grpc.endpoint and http.endpoint to the pod IP (the env:MY_POD_IP variable, ports 4317 and 4318).",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const { object, path, config } of collectorConfigs(objects)) {
      for (const [id, value] of Object.entries(obj(config.receivers))) {
        if (componentType(id) !== "otlp") continue;
        for (const [protocol, settings] of Object.entries(obj(obj(value).protocols))) {
          const endpoint = obj(settings).endpoint;
          const where = `${path}.receivers["${id}"].protocols.${protocol}.endpoint`;
          if (endpoint === undefined)
            out.push({
              object,
              violation: {
                path: where,
                message: `receiver ${id} ${protocol} has no endpoint and defaults to localhost`,
              },
            });
          else if (LOOPBACK.test(String(endpoint)))
            out.push({
              object,
              violation: { path: where, message: `receiver ${id} ${protocol} listens on ${String(endpoint)}` },
            });
        }
      }
    }
    return out;
  },
});
