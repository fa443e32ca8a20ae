import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-requests-limits",
  severity: "error",
  title: "Containers set CPU and memory requests and limits",
  rationale:
    "Without requests the scheduler packs pods blindly and they are evicted first under pressure; without limits one runaway container starves its node.",
  remediation:
    "Set resources.requests.cpu, resources.requests.memory, resources.limits.cpu and resources.limits.memory on every container.",
  applies: isWorkload,
  each(object) {
    return containers(object).flatMap(({ container, path, name }) => {
      const resources = obj(container.resources);
      const missing = (["requests", "limits"] as const).flatMap((kind) =>
        ["cpu", "memory"].filter((r) => obj(resources[kind])[r] === undefined).map((r) => `${kind}.${r}`),
      );
      return missing.length === 0
        ? []
        : [{ path: `${path}.resources`, message: `container "${name}" has no ${missing.join(", ")}` }];
    });
  },
});
