import { tempoConfigs } from "../../engine/configs.ts";
import { scopeRule } from "../../engine/define.ts";
import type { K8sObject, Violation } from "../../engine/types.ts";
import { obj } from "../../engine/workloads.ts";

/**
 * Keys Tempo 2.7.2 still reads but has deprecated (its start-up CheckConfig warns about them, or
 * its release notes retire them). The key schema accepts them — Tempo would start — so this rule
 * is where the platform says why not to use them, and what to use instead.
 */
const DEPRECATED: { path: string; why: string }[] = [
  { path: "auth_enabled", why: "a deprecated alias of multitenancy_enabled; set that instead" },
  {
    path: "storage.trace.cache",
    why: "deprecated since the top-level cache block (Tempo 2.4): configure caches under cache.caches with roles",
  },
  { path: "storage.trace.memcached", why: "deprecated: configure caches under cache.caches with roles" },
  { path: "storage.trace.redis", why: "deprecated: configure caches under cache.caches with roles" },
  { path: "storage.trace.background_cache", why: "deprecated: use cache.background" },
  {
    path: "storage.trace.s3.native_aws_auth_enabled",
    why: "deprecated (Tempo warns at start); the default credential chain already uses IRSA",
  },
  {
    path: "compactor.compaction.max_compaction_objects",
    why: "deprecated: compaction is bounded by max_block_bytes",
  },
  {
    path: "querier.search.external_",
    why: "serverless search, deprecated in 2.7 and removed in 2.8: a config using it stops the next Tempo",
  },
  { path: "querier.search.prefer_self", why: "serverless search tuning, deprecated in 2.7 and removed in 2.8" },
];

/** Every dotted key path of a config (objects only; list items are not walked). */
function keyPaths(config: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const child = obj(value);
    return value && typeof value === "object" && !Array.isArray(value) && Object.keys(child).length > 0
      ? [path, ...keyPaths(child, path)]
      : [path];
  });
}

export default scopeRule({
  id: "tempo-no-deprecated-keys",
  severity: "error",
  title: "The Tempo config uses no key Tempo has deprecated",
  rationale:
    "Deprecated keys still load in 2.7.2, with a start-up warning nobody reads, and stop Tempo once a release removes them: the upgrade fails at start.",
  remediation: "Use the replacement the finding names, or waive it with the reason it must stay.",
  check(objects) {
    const out: { object: K8sObject; violation: Violation }[] = [];
    for (const { object, path, config } of tempoConfigs(objects)) {
      for (const key of keyPaths(config)) {
        const hit = DEPRECATED.find((d) => (d.path.endsWith("_") ? key.startsWith(d.path) : key === d.path));
        if (hit) out.push({ object, violation: { path: `${path}.${key}`, message: `${key} is ${hit.why}` } });
      }
    }
    return out;
  },
});
