// Turns what the API server answered into the gate's findings: one per refused field (the
// Status's causes), one per admission warning, one per field a second apply changed, one per
// change the running cluster would refuse. Messages quote the API server's own words.
import { BUILTIN_CHECKS } from "../engine/checks.ts";
import { findingOn } from "../engine/finding.ts";
import type { Finding, K8sObject } from "../engine/types.ts";
import { statusMessage } from "./kube.ts";

export const LIVE_RULES = {
  rejected: "live-rejected",
  unknownField: "live-unknown-field",
  warning: "live-warning",
  notIdempotent: "live-not-idempotent",
  upgradeRefused: "live-upgrade-refused",
  kubernetesVersion: "live-kubernetes-version",
} as const;

/** The remediation the gate's check list gives for each rule (one home: engine/checks.ts). */
const remediationOf = (rule: string): string => BUILTIN_CHECKS.find((c) => c.id === rule)?.remediation ?? "";

interface Cause {
  field?: string;
  message?: string;
  reason?: string;
}

function base(object: K8sObject, rule: string, path: string, message: string, remediation?: string): Finding {
  return findingOn(object, { rule, path, message, remediation: remediation ?? remediationOf(rule) });
}

/** `.spec.template.spec.containers[name="x"].foo: field not declared in schema` → path and text. */
const UNKNOWN_FIELD = /(?:^|[\s(:])\.?([\w.[\]="-]+?): field not declared in schema/g;

/** Field paths the server names as unknown (strict validation), if that is what it refused. */
export function unknownFields(message: string): string[] {
  return [...message.matchAll(UNKNOWN_FIELD)].map((m) => (m[1] as string).replace(/^\./, ""));
}

/**
 * Findings for an apply the server refused. Server-side apply reports an unknown field as HTTP
 * 500, not 400 (kubernetes#122480): it is still a validation finding, recognised by its message.
 */
export function refusalFindings(object: K8sObject, status: number, body: unknown, server: string): Finding[] {
  const message = statusMessage(body);
  const unknown = unknownFields(message);
  if (unknown.length > 0)
    return unknown.map((field) =>
      base(object, LIVE_RULES.unknownField, field, `the API server (${server}) does not know the field "${field}"`),
    );
  const causes = ((body as { details?: { causes?: Cause[] } })?.details?.causes ?? []).filter((c) => c.message);
  const rule = LIVE_RULES.rejected;
  if (causes.length === 0)
    return [base(object, rule, "", `the API server (${server}) refused it (HTTP ${status}): ${message}`)];
  return causes.map((cause) =>
    base(
      object,
      rule,
      cause.field ?? "",
      `the API server (${server}) refused it (HTTP ${status}): ${cause.field ? `${cause.field}: ` : ""}${cause.message}`,
    ),
  );
}

export function warningFindings(object: K8sObject, warnings: readonly string[], server: string): Finding[] {
  return warnings.map((warning) =>
    base(object, LIVE_RULES.warning, "", `the API server (${server}) warned: ${warning}`),
  );
}

const VOLATILE = new Set(["resourceVersion", "managedFields", "generation", "uid", "creationTimestamp"]);

/** Field paths whose values differ between two versions of one object (metadata bookkeeping aside). */
export function changedPaths(before: unknown, after: unknown, path = ""): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      path === "metadata" && VOLATILE.has(key)
        ? []
        : changedPaths(before[key], after[key], path ? `${path}.${key}` : key),
    );
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length)
    return before.flatMap((item, i) => changedPaths(item, after[i], `${path}[${i}]`));
  return [path || "(root)"];
}

export function notIdempotentFinding(object: K8sObject, paths: readonly string[], server: string): Finding {
  return base(
    object,
    LIVE_RULES.notIdempotent,
    paths[0] ?? "",
    `a second server-side apply of the same manifest changed the object on the API server (${server}): ${paths.join(", ")}`,
  );
}

/** The StatefulSet spec fields an update may change (apps/validation, ValidateStatefulSetUpdate; revisionHistoryLimit since 1.33). */
const STATEFULSET_MUTABLE = new Set([
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "revisionHistoryLimit",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
]);

/**
 * Findings for a change the running cluster (the base revision, applied for real) refuses. The
 * server names only `spec` for a StatefulSet; the finding names the fields that changed between
 * the base manifest (`previous`) and this one, and how to get the change in without losing data.
 */
export function upgradeFindings(
  object: K8sObject,
  previous: K8sObject | undefined,
  status: number,
  body: unknown,
  server: string,
  baseRef: string,
): Finding[] {
  const message = statusMessage(body);
  const rule = LIVE_RULES.upgradeRefused;
  if (object.kind === "StatefulSet" && /updates to statefulset spec for fields other than/.test(message)) {
    const wanted = (object.body.spec ?? {}) as Record<string, unknown>;
    // The two manifests, not the live object: the server's defaults would show as changes.
    const running = (previous?.body.spec ?? {}) as Record<string, unknown>;
    const fields = Object.keys({ ...wanted, ...running })
      .filter((key) => !STATEFULSET_MUTABLE.has(key))
      .filter((key) => changedPaths(running[key], wanted[key], key).length > 0)
      .sort()
      .map((key) => `spec.${key}`);
    const named = fields.length > 0 ? fields : ["spec"];
    const claims = named.includes("spec.volumeClaimTemplates");
    const remediation = [
      `A StatefulSet's ${named.join(", ")} cannot change in place: every sync after this merge fails until the StatefulSet is replaced.`,
      "Either keep the old value, rename the StatefulSet (a new one with new volumes; the old one's data stays behind),",
      `or replace it keeping its pods and volumes: \`kubectl -n ${object.namespace} delete statefulset ${object.name} --cascade=orphan\`,`,
      "then let Argo CD sync the new one, which adopts the running pods and rolls them one by one.",
      claims
        ? "New claim templates apply only to new volumes: expand existing PersistentVolumeClaims by editing each one's spec.resources.requests.storage (the storage class must allow expansion)."
        : "",
    ]
      .filter(Boolean)
      .join(" ");
    return named.map((field) =>
      base(
        object,
        rule,
        field,
        `the cluster running ${baseRef} refuses this change (${server}, HTTP ${status}): ${field} of a StatefulSet is immutable — ${message}`,
        remediation,
      ),
    );
  }
  const causes = ((body as { details?: { causes?: Cause[] } })?.details?.causes ?? []).filter((c) => c.message);
  const list = causes.length > 0 ? causes : [{ field: "", message }];
  return list.map((cause) =>
    base(
      object,
      rule,
      cause.field ?? "",
      `the cluster running ${baseRef} refuses this change (${server}, HTTP ${status}): ${cause.field ? `${cause.field}: ` : ""}${cause.message}`,
      `The field cannot change on a running object. Keep the old value, or delete and re-create the ${object.kind} (Argo CD: sync option Replace=true on it for one sync), knowing what that interrupts.`,
    ),
  );
}
