import { existsSync } from "node:fs";
import { join, normalize } from "node:path";
import { objectRule } from "../../engine/define.ts";
import { list, obj } from "../../engine/workloads.ts";

export default objectRule({
  id: "argocd-path-exists",
  severity: "error",
  title: "Every Application source path exists in the repository",
  rationale: 'Argo CD syncs a missing path as "nothing": with prune on it deletes what the app managed.',
  remediation:
    "Point spec.source.path (or spec.sources[].path) at a folder that exists, relative to the repository root.",
  applies: (object) => object.kind === "Application" && object.apiVersion.startsWith("argoproj.io/"),
  each(object, _all, context) {
    const spec = obj(object.body.spec);
    const sources = [
      ...(spec.source ? [{ value: obj(spec.source), path: "spec.source" }] : []),
      ...list(spec.sources).map((s, i) => ({ value: obj(s), path: `spec.sources[${i}]` })),
    ];
    return sources.flatMap(({ value, path }) => {
      if (value.chart !== undefined || typeof value.path !== "string") return []; // Helm repository charts have no path
      const relative = normalize(value.path);
      if (relative.startsWith("..") || relative.startsWith("/"))
        return [{ path: `${path}.path`, message: `path "${value.path}" leaves the repository` }];
      return existsSync(join(context.root, relative))
        ? []
        : [{ path: `${path}.path`, message: `path "${value.path}" does not exist in the repository` }];
    });
  },
});
