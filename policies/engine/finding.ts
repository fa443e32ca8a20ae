// One finding on one loaded object: the object's identity and line, what the check says about it.
import type { Finding, K8sObject, Severity } from "./types.ts";

export function findingOn(
  object: K8sObject,
  check: { rule: string; severity?: Severity; path: string; message: string; remediation: string },
): Finding {
  return {
    file: object.file,
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    path: check.path,
    rule: check.rule,
    severity: check.severity ?? "error",
    message: check.message,
    remediation: check.remediation,
    waived: false,
    line: object.line,
  };
}
