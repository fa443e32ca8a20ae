// `--format json`: an array of findings with exactly the fields of the contract.
import type { Finding } from "../engine/types.ts";

export function formatJson(findings: readonly Finding[]): string {
  const rows = findings.map((f) => ({
    file: f.file,
    apiVersion: f.apiVersion,
    kind: f.kind,
    namespace: f.namespace,
    name: f.name,
    path: f.path,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    remediation: f.remediation,
    waived: f.waived,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}
