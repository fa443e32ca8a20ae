// `--format github`: workflow commands that GitHub Actions turns into annotations on the PR diff.
// Waived findings become notices, so reviewers still see them.
import type { Finding } from "../engine/types.ts";

/** Escaping defined for workflow command properties and data. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const command = f.waived ? "notice" : f.severity === "error" ? "error" : "warning";
      const properties = [
        `file=${escapeProperty(f.file)}`,
        ...(f.line ? [`line=${f.line}`] : []),
        `title=${escapeProperty(f.rule)}`,
      ];
      const object = f.kind ? `${f.kind} ${f.namespace ? `${f.namespace}/` : ""}${f.name} ` : "";
      const text = `${object}${f.path ? `${f.path}: ` : ""}${f.message}${f.waived ? ` (waived: ${f.waiver})` : ` — ${f.remediation}`}`;
      return `::${command} ${properties.join(",")}::${escapeData(text)}\n`;
    })
    .join("");
}
