// Writes the alert rules as a plain Prometheus rule file (what promtool and a bare Prometheus read).
import { writeFile } from "node:fs/promises";
import { stringify } from "yaml";
import { alertGroups } from "../src/alerts.ts";
import type { ObservabilitySettings } from "../src/settings.ts";

export function ruleFileText(settings: ObservabilitySettings): string {
  return stringify({ groups: alertGroups(settings) }, { lineWidth: 0 });
}

export async function writeRuleFile(path: string, settings: ObservabilitySettings): Promise<void> {
  await writeFile(path, ruleFileText(settings));
}
