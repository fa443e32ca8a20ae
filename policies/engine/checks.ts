// The gate's built-in checks that are not policy rules (parsing, schema, waivers, config tools):
// their ids can be waived like rule ids and are described in SARIF output like rules.
import type { RuleMeta } from "./types.ts";

const check = (id: string, title: string, rationale: string, remediation: string): RuleMeta => ({
  id,
  severity: "error",
  title,
  rationale,
  remediation,
});

export const BUILTIN_CHECKS: readonly RuleMeta[] = [
  check(
    "yaml-syntax",
    "Files are valid YAML",
    "A file that does not parse cannot be reviewed or applied.",
    "Fix the YAML syntax.",
  ),
  check(
    "yaml-duplicate-key",
    "No duplicate keys in a YAML mapping",
    "Parsers disagree on which duplicate wins; the reviewer sees one value and the cluster gets another.",
    "Keep one occurrence of the key.",
  ),
  check(
    "schema",
    "Objects match their schema",
    "The API server rejects or silently rewrites invalid objects.",
    "Make the field match the schema.",
  ),
  check(
    "schema-unknown-field",
    "No unknown fields, at any level",
    "The API server drops unknown fields silently: a typo'd setting simply never takes effect.",
    "Remove the field or fix its spelling.",
  ),
  check(
    "schema-required",
    "Required fields are present",
    "The API server rejects the object.",
    "Add the required field.",
  ),
  check(
    "schema-type",
    "Fields have the type the API expects",
    "The API server rejects the object.",
    "Use the expected type.",
  ),
  check(
    "schema-enum",
    "Enumerated fields use an allowed value",
    "The API server rejects the object.",
    "Use one of the allowed values.",
  ),
  check(
    "schema-unknown-kind",
    "Every object's kind has a schema",
    "An object of an unknown apiVersion/kind cannot be checked and is likely a typo or a missing CRD.",
    "Use an apiVersion/kind the cluster serves, or add the CRD to schemas/build.ts.",
  ),
  check(
    "schema-not-an-object",
    "Every document is a mapping",
    "Kubernetes objects are mappings.",
    "Make each document one object.",
  ),
  check(
    "schema-kubernetes-version",
    "The cluster's Kubernetes version has schemas",
    "Without schemas of that version the strict check cannot run.",
    "Use a version schemas/build.ts generates, or add it there.",
  ),
  check("hcl-syntax", "Terraform files parse", "terraform refuses files that do not parse.", "Fix the HCL syntax."),
  check(
    "waiver-invalid",
    "Waivers name a known rule, give a reason and have not expired",
    "A waiver is a decision someone must be able to read and revisit.",
    "Fix or remove the waiver.",
  ),
  check(
    "helm-lint",
    "Charts pass helm lint --strict with their CI values",
    "helm lint catches template and chart errors before rendering.",
    "Fix what helm lint reports.",
  ),
  check(
    "tempo-config",
    "The rendered Tempo config uses only Tempo 2.7 keys",
    "Tempo stops at start on an unknown or removed key.",
    "Fix the key (see apps/tempo/config-schema/tempo-2.7.schema.json).",
  ),
  check(
    "otelcol-validate",
    "The rendered Collector config passes otelcol validate",
    "The Collector refuses to start with an invalid config or an unknown component.",
    "Fix what `otelcol validate` reports.",
  ),
  check(
    "live-rejected",
    "A real API server of the cluster's version accepts every object (validate --live)",
    "What the API server's validation or admission chain refuses is never applied: the sync fails.",
    "Fix the value the API server names and re-render.",
  ),
  check(
    "live-unknown-field",
    "A real API server of the cluster's version knows every field (validate --live, strict field validation)",
    "Outside strict validation the server drops an unknown field in silence: the setting never takes effect.",
    "Remove the field or fix its spelling.",
  ),
  check(
    "live-warning",
    "The API server applies every object without a warning (validate --live)",
    "A Pod Security warning on a workload means its pods will be refused; a deprecation warning means the next upgrade breaks it.",
    "Make the object comply, or waive the finding with a reason.",
  ),
  check(
    "live-not-idempotent",
    "A second server-side apply of the same manifest changes nothing (validate --live)",
    "An object that changes on every apply never settles: Argo CD sees it OutOfSync and re-syncs it forever.",
    "Write the field as the API server stores it.",
  ),
  check(
    "live-upgrade-refused",
    "The running cluster (the --base revision, applied for real) accepts the change (validate --live --base)",
    "A change to an immutable field (a StatefulSet's volumeClaimTemplates, a selector, a Service's clusterIP) fails every sync after the merge.",
    "Keep the old value, or replace the object as the finding describes.",
  ),
  check(
    "live-kubernetes-version",
    "The cluster's Kubernetes minor has a pinned kube-apiserver for the live phase",
    "Without an API server of that version the live phase cannot check the cluster.",
    "Pin one with tools/kube-apiserver/new-minor.sh.",
  ),
];
