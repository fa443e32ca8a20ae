import { objectRule } from "../../engine/define.ts";
import { containers, isWorkload, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "k8s-read-only-root-fs",
  severity: "error",
  title: "Containers mount their root filesystem read-only",
  rationale:
    "A writable image filesystem lets an intruder drop tools and persist changes; writable paths should be explicit volumes.",
  remediation: "Set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process must write.",
  applies: isWorkload,
  each(object) {
    return containers(object)
      .filter(({ container }) => obj(container.securityContext).readOnlyRootFilesystem !== true)
      .map(({ path, name }) => ({
        path: `${path}.securityContext.readOnlyRootFilesystem`,
        message: `container "${name}" does not set readOnlyRootFilesystem: true`,
      }));
  },
});
