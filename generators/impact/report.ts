// The impact of a change, as a person reads it: plain text for the terminal (`generate`, `npm run
// impact`), markdown for the PR comment and the job summary, JSON for tools.
import type { ClusterImpact, ObjectRef, Rollout } from "./model.ts";
import { isEmpty, ordinaryShare, type SamplingPolicy } from "./model.ts";
import type { Risk } from "./risks.ts";

export interface Acknowledged {
  id: string;
  reason: string;
}

export interface ImpactReport {
  clusters: ClusterImpact[];
  acknowledged: Acknowledged[];
}

/** Risks no acknowledgement names. */
export function unacknowledged(report: ImpactReport): Risk[] {
  const ids = new Set(report.acknowledged.map((a) => a.id));
  return report.clusters.flatMap((c) => c.risks).filter((r) => !ids.has(r.id));
}

const name = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;

function rollLine(r: Rollout): string {
  return `${name(r.ref)} (${r.ref.app}): ${r.pods} pods roll, ${r.how}; because of ${r.why.join(", ")}`;
}

/** "27–40 in total" from "4", "3–6 (HPA)", … */
export function podTotal(rollouts: Rollout[]): string {
  let min = 0;
  let max = 0;
  for (const r of rollouts) {
    const [low, high] = (/^(\d+)(?:–(\d+))?/.exec(r.pods) ?? [])
      .slice(1)
      .map((n) => (n === undefined ? undefined : Number(n)));
    min += low ?? 0;
    max += high ?? low ?? 0;
  }
  return min === max ? `${min} in total` : `${min}–${max} in total`;
}

function policies(list: readonly SamplingPolicy[]): string {
  const one = (p: SamplingPolicy) =>
    p.percent === undefined ? `${p.name} (${p.type})` : `${p.name} (${p.type}, ${p.percent}%)`;
  return list.map(one).join("; ") || "none";
}

interface Fact {
  text: string;
  sub?: string[];
}

/** Everything but the rollouts and the risks, in the order a reviewer reads it. */
function facts(impact: ClusterImpact): Fact[] {
  const out: Fact[] = [];
  for (const c of impact.replicas) out.push({ text: `replicas: ${name(c.ref)} ${c.from} → ${c.to}` });
  for (const c of impact.storage) out.push({ text: `storage: ${name(c.ref)} ${c.from} → ${c.to}` });
  if (impact.retention) out.push({ text: `retention: ${impact.retention.from} → ${impact.retention.to}` });
  if (impact.sampling) {
    out.push({
      text: "tail sampling policies:",
      sub: [
        `before: ${policies(impact.sampling.from)}`,
        `after:  ${policies(impact.sampling.to)}`,
        `ordinary traces kept (no error, not slow, no service rule): ${ordinaryShare(impact.sampling.from)}% → ${ordinaryShare(impact.sampling.to)}%`,
      ],
    });
  }
  if (impact.created.length > 0) out.push({ text: `created: ${impact.created.map(name).join(", ")}` });
  if (impact.pruned.length > 0) out.push({ text: `pruned: ${impact.pruned.map(name).join(", ")}` });
  if (impact.updated.length > 0) {
    out.push({ text: "updated in place:", sub: impact.updated.map((u) => `${name(u.ref)}: ${u.fields.join(", ")}`) });
  }
  for (const t of impact.terraform) {
    out.push({
      text: `terraform: ${t.key} ${JSON.stringify(t.from)} → ${JSON.stringify(t.to)}${t.replaces ? " (replaces the resource)" : " (in place)"}`,
    });
  }
  return out;
}

function lines(impact: ClusterImpact): string[] {
  const out: string[] = [];
  if (impact.rollouts.length > 0) {
    out.push(`pods that roll: ${podTotal(impact.rollouts)}`);
    for (const r of impact.rollouts) out.push(`  ${rollLine(r)}`);
  }
  for (const fact of facts(impact)) {
    out.push(fact.text);
    for (const sub of fact.sub ?? []) out.push(`  ${sub}`);
  }
  return out;
}

export function formatText(report: ImpactReport): string {
  const out: string[] = [];
  const acked = new Map(report.acknowledged.map((a) => [a.id, a.reason]));
  for (const impact of report.clusters) {
    if (isEmpty(impact)) continue;
    out.push(`impact on ${impact.environment}:`);
    for (const line of lines(impact)) out.push(`  ${line}`);
    for (const risk of impact.risks) {
      const reason = acked.get(risk.id);
      out.push(`  RISK ${risk.id}${reason !== undefined ? ` (acknowledged: ${reason})` : ""}`);
      out.push(`    ${risk.summary}`);
      out.push(`    safely: ${risk.procedure}`);
    }
  }
  if (out.length === 0) out.push("impact: nothing changes on any cluster");
  return `${out.join("\n")}\n`;
}

/** The marker the PR workflow finds its own comment by, to update it rather than add another. */
export const COMMENT_MARKER = "<!-- greenlang-tracing-impact -->";

export function formatMarkdown(report: ImpactReport): string {
  const out: string[] = [COMMENT_MARKER, "## What this change does to the clusters", ""];
  const acked = new Map(report.acknowledged.map((a) => [a.id, a.reason]));
  const changed = report.clusters.filter((c) => !isEmpty(c));
  if (changed.length === 0) out.push("Nothing changes on any cluster.", "");
  for (const impact of changed) {
    out.push(`### ${impact.environment}`, "");
    for (const risk of impact.risks) {
      const reason = acked.get(risk.id);
      out.push(
        reason !== undefined
          ? `> [!NOTE]\n> **Acknowledged \`${risk.id}\`**: ${risk.summary}. Reason given: ${reason}`
          : `> [!CAUTION]\n> **\`${risk.id}\`**: ${risk.summary}.\n> Safely: ${risk.procedure}.\n> Acknowledge with a commit trailer \`Impact-Acknowledged: ${risk.id}: <reason>\`.`,
        "",
      );
    }
    if (impact.rollouts.length > 0) {
      out.push("| workload | app | pods | how | why |", "|---|---|---|---|---|");
      for (const r of impact.rollouts) {
        out.push(`| ${name(r.ref)} | ${r.ref.app} | ${r.pods} | ${r.how} | ${r.why.join(", ")} |`);
      }
      out.push("");
    }
    if (impact.rollouts.length > 0) out.push(`Pods that roll: ${podTotal(impact.rollouts)}.`, "");
    for (const fact of facts(impact)) {
      out.push(`- ${fact.text}`);
      for (const sub of fact.sub ?? []) out.push(`  - ${sub.replace(/\s+/g, " ")}`);
    }
    out.push("");
  }
  out.push("<sub>`npm run impact` — computed offline from the two rendered trees.</sub>", "");
  return out.join("\n");
}

export function formatJson(report: ImpactReport): string {
  return `${JSON.stringify({ ...report, unacknowledged: unacknowledged(report).map((r) => r.id) }, null, 2)}\n`;
}
