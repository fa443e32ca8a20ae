import { tempoConfigs } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { containers, isWorkload, list, obj } from "../../engine/workloads.ts";

export function tempoWorkloads(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter(
    (o) => isWorkload(o) && containers(o).some(({ container }) => /(^|\/)tempo(:|@|$)/.test(String(container.image))),
  );
}

/** The -target flag of the Tempo container (Tempo's default is `all`). */
export function tempoTarget(object: K8sObject): string {
  for (const { container } of containers(object)) {
    if (!/(^|\/)tempo(:|@|$)/.test(String(container.image))) continue;
    for (const arg of list(container.args)) {
      const match = /^--?target=(.+)$/.exec(String(arg));
      if (match?.[1]) return match[1];
    }
  }
  return "all";
}

export default scopeRule({
  id: "tempo-no-local-backend",
  severity: "error",
  title: "Tempo's local storage backend only in monolithic dev",
  rationale:
    "The local backend keeps blocks on one pod's disk: distributed components cannot share them, and nothing survives the volume.",
  remediation: "Use storage.trace.backend: s3 (with IRSA) everywhere but the monolithic (-target=all) dev cluster.",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    const workloads = tempoWorkloads(objects);
    const distributed = workloads.filter((w) => tempoTarget(w) !== "all");
    for (const { object, path, config } of tempoConfigs(objects)) {
      if (obj(obj(config.storage).trace).backend !== "local") continue;
      const configTarget = typeof config.target === "string" ? config.target : "all";
      const reasons = [
        object.environment !== "dev" ? `the ${object.environment ?? "unknown"} environment is not dev` : "",
        distributed.length > 0
          ? `Tempo runs distributed (${distributed.map((w) => `${w.kind} ${w.name}: ${tempoTarget(w)}`).join(", ")})`
          : "",
        configTarget !== "all" ? `the config's target is ${configTarget}` : "",
      ].filter(Boolean);
      if (reasons.length > 0) {
        out.push({
          object,
          violation: { path: `${path}.storage.trace.backend`, message: `backend local, but ${reasons.join("; ")}` },
        });
      }
    }
    return out;
  },
});
