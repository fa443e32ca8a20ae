// Resolves the links an on-call engineer follows: runbook_url → a file and a heading of
// docs/runbooks/, dashboard_url and the runbooks' panel paths → a dashboard uid and panel id.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { githubSlug } from "../src/alerts.ts";
import { DASHBOARDS, PANELS } from "../src/dashboards/ids.ts";

export const RUNBOOK_DIR = join(import.meta.dirname, "..", "..", "..", "docs", "runbooks");

/** GitHub's anchors of a Markdown file: heading slugs, repeated ones suffixed -1, -2, … */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = githubSlug(heading[1].replace(/`/g, ""));
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

/** The problem with a runbook URL (relative to the runbook base), or undefined when it resolves. */
export function runbookProblem(base: string, url: string, dir = RUNBOOK_DIR): string | undefined {
  if (!url.startsWith(`${base}/`)) return `${url} is not under ${base}`;
  const [file, anchor] = url.slice(base.length + 1).split("#");
  if (!file || !existsSync(join(dir, file))) return `${url}: no file docs/runbooks/${file}`;
  if (!anchor) return `${url}: no section anchor`;
  if (!anchorsOf(readFileSync(join(dir, file), "utf8")).has(anchor))
    return `${url}: docs/runbooks/${file} has no heading #${anchor}`;
  return undefined;
}

/** The problem with a Grafana panel path `/d/<uid>?viewPanel=<id>`, or undefined when both exist. */
export function panelProblem(path: string): string | undefined {
  const match = /\/d\/([A-Za-z0-9_-]+)\?viewPanel=(\d+)/.exec(path);
  if (!match) return `${path} is not a /d/<uid>?viewPanel=<id> link`;
  const key = (Object.keys(DASHBOARDS) as (keyof typeof DASHBOARDS)[]).find((k) => DASHBOARDS[k].uid === match[1]);
  if (!key) return `${path}: no dashboard ${match[1]}`;
  if (!(Object.values(PANELS[key]) as number[]).includes(Number(match[2])))
    return `${path}: ${match[1]} has no panel ${match[2]}`;
  return undefined;
}
