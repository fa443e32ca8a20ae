// Human report: findings grouped by file, one line per finding with object, field path and rule,
// the remediation beneath, then a summary line.
import type { Finding } from "../engine/types.ts";

function objectLabel(f: Finding): string {
  if (!f.kind) return "";
  if (f.kind === "terraform") return f.name;
  return `${f.kind} ${f.namespace ? `${f.namespace}/` : ""}${f.name}`;
}

export function summarize(findings: readonly Finding[]): { errors: number; warnings: number; waived: number } {
  const live = findings.filter((f) => !f.waived);
  return {
    errors: live.filter((f) => f.severity === "error").length,
    warnings: live.filter((f) => f.severity === "warning").length,
    waived: findings.length - live.length,
  };
}

export function formatText(
  findings: readonly Finding[],
  stats: { files: number; objects: number },
  color = false,
): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  let current = "";
  for (const f of findings) {
    if (f.file !== current) {
      current = f.file;
      lines.push("", paint("1", f.file));
    }
    const level = f.waived
      ? paint("2", "waived ")
      : f.severity === "error"
        ? paint("31", "error  ")
        : paint("33", "warning");
    const where = [f.line ? `:${f.line}` : "", objectLabel(f), f.path].filter(Boolean).join(" ");
    lines.push(`  ${level} ${where}: ${f.message} [${f.rule}]`);
    lines.push(`          ${f.waived ? `waiver: ${f.waiver}` : `fix: ${f.remediation}`}`);
  }
  const { errors, warnings, waived } = summarize(findings);
  lines.push(
    "",
    `${errors} error(s), ${warnings} warning(s), ${waived} waived — ${stats.files} file(s), ${stats.objects} object(s) checked`,
  );
  return `${lines.join("\n").replace(/^\n/, "")}\n`;
}
