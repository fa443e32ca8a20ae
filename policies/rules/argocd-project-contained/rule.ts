import { objectRule } from "../../engine/define.ts";
import type { Violation } from "../../engine/types.ts";
import { list, obj } from "../../engine/workloads.ts";

/**
 * The root Application may create AppProjects, so a project's spec is what a merged PR can grant
 * itself. Every AppProject of the tree is held to what the platform needs: named kinds, named
 * namespaces on the in-cluster server, named source repositories — never a wildcard, which would
 * hand an Application cluster-admin.
 */
const IN_CLUSTER = "https://kubernetes.default.svc";

const wild = (value: unknown): boolean => typeof value === "string" && value.includes("*");

export default objectRule({
  id: "argocd-project-contained",
  severity: "error",
  title: "AppProjects grant named kinds, namespaces and repositories only, never a wildcard",
  rationale:
    "The root Application can create AppProjects: a project with a wildcard kind, namespace, server or repository lets any Application in it write anything, cluster-admin in one merge.",
  remediation:
    "List the exact {group, kind} pairs, destination namespaces (on the in-cluster server) and repository URLs the platform uses.",
  applies: (object) => object.kind === "AppProject" && object.apiVersion.startsWith("argoproj.io/"),
  each(object) {
    const spec = obj(object.body.spec);
    const out: Violation[] = [];
    for (const field of ["clusterResourceWhitelist", "namespaceResourceWhitelist"] as const) {
      list(spec[field]).forEach((entry, i) => {
        const { group, kind } = obj(entry);
        if (wild(group) || wild(kind))
          out.push({
            path: `spec.${field}[${i}]`,
            message: `grants ${JSON.stringify(group)}/${JSON.stringify(kind)}: a wildcard`,
          });
      });
    }
    list(spec.destinations).forEach((entry, i) => {
      const { namespace, server, name } = obj(entry);
      if (wild(namespace) || namespace === undefined)
        out.push({
          path: `spec.destinations[${i}].namespace`,
          message: `destination namespace ${JSON.stringify(namespace ?? "(any)")}`,
        });
      // Naming both is argocd-destination-name-or-server's finding; a server must be this cluster's.
      if ((server !== undefined && server !== IN_CLUSTER) || (server === undefined && name === undefined))
        out.push({
          path: `spec.destinations[${i}]`,
          message: `destination ${JSON.stringify(server ?? "(any)")}: only ${IN_CLUSTER}`,
        });
    });
    list(spec.sourceRepos).forEach((repo, i) => {
      if (wild(repo))
        out.push({ path: `spec.sourceRepos[${i}]`, message: `source repository ${JSON.stringify(repo)}: a wildcard` });
    });
    if (list(spec.clusterResourceBlacklist).length > 0 || list(spec.namespaceResourceBlacklist).length > 0)
      out.push({
        path: "spec",
        message: "a blacklist allows every kind it does not name; list what is allowed instead",
      });
    return out;
  },
});
