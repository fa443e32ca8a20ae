// `--format sarif`: SARIF 2.1.0 for code-scanning uploads. Waived findings carry a suppression
// with the waiver's reason, so they show as dismissed rather than disappear.
import type { Finding, RuleMeta } from "../engine/types.ts";

export function formatSarif(findings: readonly Finding[], rules: readonly RuleMeta[]): string {
  const used = [...new Set(findings.map((f) => f.rule))];
  const described = rules.filter((r) => used.includes(r.id));
  const index = new Map(described.map((r, i) => [r.id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "greenlang-gate",
            rules: described.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: r.remediation },
              defaultConfiguration: { level: r.severity === "error" ? "error" : "warning" },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: f.severity === "error" ? "error" : "warning",
          message: {
            text: `${f.kind ? `${f.kind} ${f.namespace ? `${f.namespace}/` : ""}${f.name}` : ""}${f.path ? ` ${f.path}` : ""}: ${f.message}`.trim(),
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file },
                ...(f.line ? { region: { startLine: f.line } } : {}),
              },
              ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path }] } : {}),
            },
          ],
          ...(f.waived ? { suppressions: [{ kind: "external", justification: f.waiver ?? "waived" }] } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
