import { NAMESPACES } from "../../../generators/platform.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { list, obj } from "../../engine/workloads.ts";

/**
 * What an AppProject of the platform may ever grant. The root Application creates AppProjects from
 * Git, so a project is what one merge can grant itself; argocd-project-contained bars wildcards,
 * and this rule pins the rest to what the platform uses. Widening a pin is a change to this file,
 * which CODEOWNERS gives to the platform leads.
 */
const PLATFORM_NAMESPACES = new Set<string>(Object.values(NAMESPACES));
/** The cluster-scoped kinds the platform renders (`group/kind`, "" for the core group). */
const CLUSTER_KINDS = new Set([
  "/Namespace",
  "rbac.authorization.k8s.io/ClusterRole",
  "rbac.authorization.k8s.io/ClusterRoleBinding",
]);
/** All a project writing into Argo CD's own namespace may create there: the app-of-apps. */
const ARGOCD_KINDS = new Set(["argoproj.io/Application", "argoproj.io/AppProject"]);

const isArgo = (o: K8sObject, kind: string) => o.kind === kind && o.apiVersion.startsWith("argoproj.io/");
const groupKind = (entry: unknown) => `${String(obj(entry).group ?? "")}/${String(obj(entry).kind)}`;
/** Wildcards are argocd-project-contained's finding; this rule judges named grants. */
const wild = (value: string) => value.includes("*");

function pinned(project: K8sObject, repositories: ReadonlySet<string>): Violation[] {
  const spec = obj(project.body.spec);
  const out: Violation[] = [];
  const destinations = list(spec.destinations).map((d) => obj(d).namespace);
  destinations.forEach((namespace, i) => {
    if (typeof namespace === "string" && !wild(namespace) && !PLATFORM_NAMESPACES.has(namespace))
      out.push({
        path: `spec.destinations[${i}].namespace`,
        message: `namespace ${namespace} is not the platform's (${[...PLATFORM_NAMESPACES].join(", ")})`,
      });
  });
  list(spec.clusterResourceWhitelist).forEach((entry, i) => {
    if (!wild(groupKind(entry)) && !CLUSTER_KINDS.has(groupKind(entry)))
      out.push({
        path: `spec.clusterResourceWhitelist[${i}]`,
        message: `cluster-scoped ${groupKind(entry)} is not a kind the platform renders`,
      });
  });
  if (destinations.includes(NAMESPACES.argocd)) {
    const kinds = list(spec.namespaceResourceWhitelist);
    if (kinds.length === 0)
      out.push({
        path: "spec.namespaceResourceWhitelist",
        message: `a project that writes into ${NAMESPACES.argocd} must list its kinds (Application, AppProject)`,
      });
    kinds.forEach((entry, i) => {
      if (!wild(groupKind(entry)) && !ARGOCD_KINDS.has(groupKind(entry)))
        out.push({
          path: `spec.namespaceResourceWhitelist[${i}]`,
          message: `${groupKind(entry)} in ${NAMESPACES.argocd}: only Applications and AppProjects`,
        });
    });
    if (list(spec.clusterResourceWhitelist).length > 0)
      out.push({
        path: "spec.clusterResourceWhitelist",
        message: `a project that writes into ${NAMESPACES.argocd} grants no cluster-scoped kind`,
      });
  }
  const repos = list(spec.sourceRepos);
  if (repos.length !== 1 || (repositories.size > 0 && !repositories.has(String(repos[0]))))
    out.push({
      path: "spec.sourceRepos",
      message: `${JSON.stringify(repos)}: exactly the one repository the Applications sync from${repositories.size > 0 ? ` (${[...repositories].join(", ")})` : ""}`,
    });
  return out;
}

export default scopeRule({
  id: "argocd-project-pinned",
  severity: "error",
  title:
    "AppProjects are the platform's own: used by its Applications, granting only its namespaces, kinds and repository",
  rationale:
    "The root Application creates whatever AppProjects Git holds: a project no Application of the tree uses, or one granting a namespace, cluster-scoped kind or repository the platform does not use, is a grant a later merge (or a hand-made Application) can use to deploy anything.",
  remediation:
    "Keep only the projects the tree's Applications use, each granting the platform's namespaces and rendered cluster-scoped kinds, one repository, and Argo CD's own namespace only for Application and AppProject. A new need is a reviewed change to this rule's pins.",
  check(objects) {
    const applications = objects.filter((o) => isArgo(o, "Application"));
    const used = new Set(applications.map((a) => String(obj(a.body.spec).project)));
    const repositories = new Set(applications.map((a) => String(obj(obj(a.body.spec).source).repoURL)));
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const project of objects.filter((o) => isArgo(o, "AppProject"))) {
      // A lone project file (no Application beside it) has no app-of-apps to be compared with.
      if (applications.length > 0 && !used.has(project.name))
        out.push({
          object: project,
          violation: { path: "", message: `no Application of the tree uses project ${project.name}` },
        });
      for (const violation of pinned(project, repositories)) out.push({ object: project, violation });
    }
    return out;
  },
});
