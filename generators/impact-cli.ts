// `npm run impact -- [--base <ref>] [--head <ref>] [--format text|markdown|json] [--check]`
//
//   --base <ref>    the revision the change starts from (default HEAD)
//   --head <ref>    the revision it ends at (default: the work tree's generated files)
//   --format        text (default), markdown (the PR comment), json
//   --check         exit 1 when a risk (data loss, a refused sync) is not acknowledged by an
//                   `Impact-Acknowledged: <id>: <reason>` trailer in a commit of base..head
//
// Exit codes: 0 done, 1 an unacknowledged risk (with --check), 2 wrong usage.
import { resolve } from "node:path";
import { parseArgv } from "zx";
import { AcknowledgementError, commitAcknowledgements } from "./impact/acknowledge.ts";
import { formatJson, formatMarkdown, formatText, type ImpactReport, unacknowledged } from "./impact/report.ts";
import { generatedAt, generatedInWorkTree, impactOf } from "./impact/run.ts";
import { discoverClusters } from "./load.ts";

const KNOWN = new Set(["_", "base", "head", "format", "check", "root", "help"]);
const args = parseArgv(process.argv.slice(2), {
  boolean: ["check", "help"],
  string: ["base", "head", "format", "root"],
});
const usage = "usage: npm run impact -- [--base <ref>] [--head <ref>] [--format text|markdown|json] [--check]";
const unknown = Object.keys(args).filter((key) => !KNOWN.has(key));
const format = args.format ?? "text";
const FORMATS = ["text", "markdown", "json"];

if (args.help) {
  console.log(usage);
} else if (unknown.length > 0 || args._.length > 0 || !FORMATS.includes(format)) {
  const wrong = [...unknown.map((k) => `--${k}`), ...args._.map(String)];
  if (!FORMATS.includes(format)) wrong.push(`--format ${format}`);
  console.error(`impact: unexpected ${wrong.join(", ")}\n${usage}`);
  process.exitCode = 2;
} else {
  const root = resolve(args.root ?? resolve(import.meta.dirname, ".."));
  const base = args.base ?? "HEAD";
  try {
    const before = generatedAt(root, base);
    const after = args.head
      ? generatedAt(root, args.head)
      : await generatedInWorkTree(root, (await discoverClusters(root)).models);
    const report: ImpactReport = {
      clusters: impactOf(before, after),
      acknowledged: commitAcknowledgements(root, base, args.head ?? "HEAD"),
    };
    process.stdout.write(
      format === "markdown" ? formatMarkdown(report) : format === "json" ? formatJson(report) : formatText(report),
    );
    const open = unacknowledged(report);
    if (args.check && open.length > 0) {
      for (const risk of open) console.error(`impact: ${risk.id} is not acknowledged: ${risk.summary}`);
      console.error(
        "impact: acknowledge each in a commit message of the change: `Impact-Acknowledged: <id>: <reason>` (after doing what `safely:` says)",
      );
      process.exitCode = 1;
    }
  } catch (error) {
    if (!(error instanceof AcknowledgementError) && !/no such commit/.test((error as Error).message)) throw error;
    console.error(`impact: ${(error as Error).message}`);
    process.exitCode = 2;
  }
}
