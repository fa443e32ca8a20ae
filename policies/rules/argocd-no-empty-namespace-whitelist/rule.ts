import { objectRule } from "../../engine/define.ts";
import { obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "argocd-no-empty-namespace-whitelist",
  severity: "error",
  title: "AppProjects never carry an empty namespaceResourceWhitelist",
  rationale:
    "Argo CD reads a present but empty namespaceResourceWhitelist as deny-all: every namespaced resource stops syncing.",
  remediation:
    "Omit namespaceResourceWhitelist to allow all namespaced kinds, or list the {group, kind} pairs allowed.",
  applies: (object) => object.kind === "AppProject" && object.apiVersion.startsWith("argoproj.io/"),
  each(object) {
    const whitelist = obj(object.body.spec).namespaceResourceWhitelist;
    return Array.isArray(whitelist) && whitelist.length === 0
      ? [{ path: "spec.namespaceResourceWhitelist", message: "an empty list blocks every namespaced resource" }]
      : [];
  },
});
