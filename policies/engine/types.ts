// The shapes every part of the gate shares: loaded objects, rules, findings.

export type Severity = "error" | "warning";

/** One YAML document that parsed to a Kubernetes-shaped object. */
export interface K8sObject {
  /** Repository-relative path of the file it came from. */
  file: string;
  /** 0-based index of the document inside the file. */
  index: number;
  /** 1-based line where the document starts, for SARIF and GitHub annotations. */
  line: number;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** The parsed document (plain JSON data). */
  body: Record<string, unknown>;
  /** Environment the object belongs to (clusters/<env>/…, or a `# gate: environment=` directive). */
  environment: string | null;
  /** Cross-object rules look only within one scope: a cluster folder, or a single file. */
  scope: string;
}

/** A Terraform configuration directory, parsed offline by @cdktf/hcl2json. */
export interface TerraformModule {
  /** Repository-relative directory. */
  dir: string;
  /** Per file, the hcl2json output (every block an array, expressions kept as "${…}" strings). */
  files: { file: string; hcl: Record<string, unknown> }[];
}

export interface Finding {
  file: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** Field path inside the object, e.g. spec.template.spec.containers[0].image ("" = whole object). */
  path: string;
  rule: string;
  severity: Severity;
  message: string;
  remediation: string;
  waived: boolean;
  /** Why it is waived (annotation value or waivers.yaml reason). */
  waiver?: string;
  line?: number;
}

/** What a rule reports; the engine adds file, object identity, severity and remediation. */
export interface Violation {
  path: string;
  message: string;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  title: string;
  rationale: string;
  remediation: string;
}

export interface KubernetesRule extends RuleMeta {
  target: "kubernetes";
  /** Sees every object of one scope, so cross-object rules (PDB ↔ workload) need nothing else. */
  check(objects: readonly K8sObject[], context: RuleContext): { object: K8sObject; violation: Violation }[];
}

export interface TerraformLocation {
  file: string;
  /** Resource address, e.g. aws_s3_bucket.traces, or provider/terraform block name. */
  address: string;
  path: string;
  message: string;
}

export interface TerraformRule extends RuleMeta {
  target: "terraform";
  check(module: TerraformModule): TerraformLocation[];
}

export type Rule = KubernetesRule | TerraformRule;

export interface RuleContext {
  /** Absolute path of the repository root (Argo CD paths are resolved against it). */
  root: string;
}
