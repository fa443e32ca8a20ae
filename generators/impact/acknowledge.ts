// Acknowledgements of risky changes. `generate --acknowledge "<id>: <reason>"` for the author's
// own run; for CI, a trailer in a commit message of the change, so the acknowledgement travels
// with exactly that change and never covers a later one:
//
//   Impact-Acknowledged: scale-down@prod/StatefulSet/tempo-ingester: ingesters 4-5 flushed via /shutdown
import { execFileSync } from "node:child_process";
import type { Acknowledged } from "./report.ts";

export const TRAILER = "Impact-Acknowledged";

export class AcknowledgementError extends Error {}

/** `<id>: <reason>` → the acknowledgement; a reason is required (it is printed with the risk). */
export function parseAcknowledgement(text: string): Acknowledged {
  const match = /^\s*([a-z-]+@[A-Za-z0-9/._-]+)\s*:\s*(\S.*?)\s*$/.exec(text);
  if (!match?.[1] || !match[2]) {
    throw new AcknowledgementError(
      `acknowledgement "${text}": expected "<risk id>: <reason>", e.g. "scale-down@prod/StatefulSet/tempo-ingester: surplus ingesters flushed"`,
    );
  }
  return { id: match[1], reason: match[2] };
}

/** Every `Impact-Acknowledged:` trailer in the commit messages of base..head. */
export function commitAcknowledgements(root: string, base: string, head = "HEAD"): Acknowledged[] {
  const log = execFileSync("git", ["log", "--format=%B%x00", `${base}..${head}`], { cwd: root, encoding: "utf8" });
  const found: Acknowledged[] = [];
  for (const line of log.split(/\r?\n/)) {
    const trailer = new RegExp(`^${TRAILER}:\\s*(.+)$`).exec(line.replace(/\0/g, ""));
    if (trailer?.[1]) found.push(parseAcknowledgement(trailer[1]));
  }
  return found;
}
