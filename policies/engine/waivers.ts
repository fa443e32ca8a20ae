// Waivers: an annotation `policy.greenlang.io/waive.<rule-id>: "<reason>"` on the object, or an
// entry of policies/waivers.yaml {rule, target, reason, expires}. A waived finding stays in the
// report, marked waived. A waiver with no reason, past its expiry, or naming an unknown rule is
// itself an error (rule `waiver-invalid`): a waiver is a decision someone must be able to revisit.
import { readFile } from "node:fs/promises";
import { CORE_SCHEMA, load } from "js-yaml";
import type { Finding, K8sObject } from "./types.ts";
import { annotations, list, obj } from "./workloads.ts";

export const ANNOTATION_PREFIX = "policy.greenlang.io/waive.";
export const WAIVERS_FILE = "policies/waivers.yaml";

export interface WaiverEntry {
  rule: string;
  /**
   * What it waives: a file or folder prefix ("terraform/modules/x/"), optionally narrowed to an
   * object as `<path>#<Kind>/<namespace>/<name>` ("clusters/dev/#Deployment/tempo/tempo").
   */
  target: string;
  reason: string;
  /** YYYY-MM-DD; the waiver stops applying (and becomes an error) after that day. */
  expires: string;
  /** Index in waivers.yaml, for error messages. */
  index: number;
}

function invalid(file: string, path: string, message: string, object?: K8sObject): Finding {
  return {
    file,
    apiVersion: object?.apiVersion ?? "",
    kind: object?.kind ?? "",
    namespace: object?.namespace ?? "",
    name: object?.name ?? "",
    path,
    rule: "waiver-invalid",
    severity: "error",
    message,
    remediation:
      "Give the waiver a rule id the gate knows, a reason a reviewer can judge and (in waivers.yaml) a future expiry date.",
    waived: false,
    ...(object ? { line: object.line } : {}),
  };
}

export async function readWaivers(
  root: string,
  ruleIds: ReadonlySet<string>,
  today: string,
): Promise<{ entries: WaiverEntry[]; findings: Finding[] }> {
  let text: string;
  try {
    text = await readFile(`${root}/${WAIVERS_FILE}`, "utf8");
  } catch {
    return { entries: [], findings: [] };
  }
  const findings: Finding[] = [];
  const entries: WaiverEntry[] = [];
  let doc: unknown;
  try {
    doc = load(text, { schema: CORE_SCHEMA, filename: WAIVERS_FILE });
  } catch (error) {
    return {
      entries,
      findings: [invalid(WAIVERS_FILE, "", `cannot parse: ${(error as Error).message.split("\n")[0]}`)],
    };
  }
  list(obj(doc).waivers).forEach((raw, index) => {
    const entry = obj(raw);
    const path = `waivers[${index}]`;
    const rule = String(entry.rule ?? "");
    const target = String(entry.target ?? "");
    const reason = typeof entry.reason === "string" ? entry.reason.trim() : "";
    const expires =
      entry.expires instanceof Date ? entry.expires.toISOString().slice(0, 10) : String(entry.expires ?? "");
    const unknownKeys = Object.keys(entry).filter((k) => !["rule", "target", "reason", "expires"].includes(k));
    if (unknownKeys.length > 0)
      findings.push(invalid(WAIVERS_FILE, `${path}.${unknownKeys[0]}`, `unknown field(s) ${unknownKeys.join(", ")}`));
    if (!ruleIds.has(rule)) findings.push(invalid(WAIVERS_FILE, `${path}.rule`, `unknown rule "${rule}"`));
    if (!target) findings.push(invalid(WAIVERS_FILE, `${path}.target`, "no target"));
    if (!reason) findings.push(invalid(WAIVERS_FILE, `${path}.reason`, `waiver of ${rule} has no reason`));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expires))
      findings.push(invalid(WAIVERS_FILE, `${path}.expires`, `expires must be YYYY-MM-DD, found "${expires}"`));
    else if (expires < today)
      findings.push(invalid(WAIVERS_FILE, `${path}.expires`, `waiver of ${rule} for ${target} expired on ${expires}`));
    else if (reason && target && ruleIds.has(rule)) entries.push({ rule, target, reason, expires, index });
  });
  return { entries, findings };
}

/** Annotation waivers that are themselves wrong: no reason, or an unknown rule id. */
export function checkAnnotationWaivers(objects: readonly K8sObject[], ruleIds: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  for (const object of objects) {
    for (const [key, value] of Object.entries(annotations(object))) {
      if (!key.startsWith(ANNOTATION_PREFIX)) continue;
      const rule = key.slice(ANNOTATION_PREFIX.length);
      const path = `metadata.annotations["${key}"]`;
      if (!ruleIds.has(rule)) out.push(invalid(object.file, path, `waiver names unknown rule "${rule}"`, object));
      if (typeof value !== "string" || value.trim() === "")
        out.push(invalid(object.file, path, `waiver of ${rule} has no reason`, object));
    }
  }
  return out;
}

function matchesTarget(finding: Finding, target: string): boolean {
  const [path = "", objectRef] = target.split("#");
  if (!finding.file.startsWith(path)) return false;
  if (!objectRef) return true;
  const [kind, namespace, name] = objectRef.split("/");
  return finding.kind === kind && finding.namespace === (namespace ?? "") && finding.name === name;
}

/** Marks findings waived (annotation on their object first, then waivers.yaml). */
export function applyWaivers(
  findings: Finding[],
  objects: readonly K8sObject[],
  entries: readonly WaiverEntry[],
): void {
  const byIdentity = new Map<string, K8sObject>();
  for (const o of objects) byIdentity.set(`${o.file}\u0000${o.kind}\u0000${o.namespace}\u0000${o.name}`, o);
  for (const finding of findings) {
    if (finding.rule === "waiver-invalid") continue;
    const object = byIdentity.get(
      `${finding.file}\u0000${finding.kind}\u0000${finding.namespace}\u0000${finding.name}`,
    );
    const reason = object ? annotations(object)[`${ANNOTATION_PREFIX}${finding.rule}`] : undefined;
    if (typeof reason === "string" && reason.trim() !== "") {
      finding.waived = true;
      finding.waiver = reason.trim();
      continue;
    }
    const entry = entries.find((e) => e.rule === finding.rule && matchesTarget(finding, e.target));
    if (entry) {
      finding.waived = true;
      finding.waiver = `${entry.reason} (waivers.yaml, expires ${entry.expires})`;
    }
  }
}
