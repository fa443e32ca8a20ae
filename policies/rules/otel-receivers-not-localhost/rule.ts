import { collectorConfigs, componentType, type EmbeddedConfig, tempoConfigs } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { type Json, obj } from "../../engine/workloads.ts";

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)(:\d+)?$/;

/** Each protocol of an OTLP receiver must name an endpoint that other pods can reach. */
function checkReceiver(config: EmbeddedConfig, id: string, receiver: Json, path: string, owner: string) {
  const out: { object: K8sObject; violation: Violation }[] = [];
  for (const [protocol, settings] of Object.entries(obj(receiver.protocols))) {
    const endpoint = obj(settings).endpoint;
    const where = `${path}.protocols.${protocol}.endpoint`;
    if (endpoint === undefined) {
      out.push({
        object: config.object,
        violation: {
          path: where,
          message: `${owner} receiver ${id} ${protocol} has no endpoint and defaults to localhost`,
        },
      });
    } else if (LOOPBACK.test(String(endpoint))) {
      out.push({
        object: config.object,
        violation: { path: where, message: `${owner} receiver ${id} ${protocol} listens on ${String(endpoint)}` },
      });
    }
  }
  return out;
}

export default scopeRule({
  id: "otel-receivers-not-localhost",
  severity: "error",
  title: "OTLP receivers (Collector and Tempo) listen beyond localhost",
  rationale:
    "The Collector (since v0.104) and Tempo 2.7's embedded receivers bind localhost unless told otherwise: in a pod that means no other pod can send spans.",
  remediation:
    "Give every OTLP protocol an explicit endpoint: the pod IP for the Collector (env MY_POD_IP, ports 4317/4318), 0.0.0.0:4317 and 0.0.0.0:4318 for Tempo's distributor.",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const config of collectorConfigs(objects)) {
      for (const [id, receiver] of Object.entries(obj(config.config.receivers))) {
        if (componentType(id) === "otlp")
          out.push(...checkReceiver(config, id, obj(receiver), `${config.path}.receivers["${id}"]`, "Collector"));
      }
    }
    for (const config of tempoConfigs(objects)) {
      const receivers = obj(obj(config.config.distributor).receivers);
      if (receivers.otlp !== undefined) {
        out.push(
          ...checkReceiver(config, "otlp", obj(receivers.otlp), `${config.path}.distributor.receivers.otlp`, "Tempo"),
        );
      }
    }
    return out;
  },
});
