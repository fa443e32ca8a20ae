// The gate's command line (started by policies/cli.ts):
// `npm run validate -- [paths…] [--format text|json|sarif|github] [--kube-version 1.33] [--no-config-checks]
//                      [--live [--base <git ref>]]`
//
// Exit codes: 0 = no unwaived error, 1 = at least one unwaived error, 2 = usage or internal error.
import { join } from "node:path";
import { BUILTIN_CHECKS } from "./engine/checks.ts";
import { runGate, UsageError } from "./gate.ts";
import { formatGithub } from "./report/github.ts";
import { formatJson } from "./report/json.ts";
import { formatSarif } from "./report/sarif.ts";
import { formatText, summarize } from "./report/text.ts";
import { RULES } from "./rules/index.ts";

const ROOT = join(import.meta.dirname, "..");
const FORMATS = ["text", "json", "sarif", "github"] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `usage: npm run validate -- [paths…] [--format text|json|sarif|github] [--kube-version <1.xx>] [--no-config-checks] [--live [--base <ref>]]
  paths     files or folders (repository-relative); default: clusters/, terraform/ and every chart in apps/
  --format  report format (default text)
  --kube-version   validate every object against this Kubernetes minor version's schemas
  --no-config-checks   skip helm lint, the Tempo key schema and otelcol validate
  --live           also apply every cluster to a throw-away kube-apiserver of its Kubernetes version
                   (strict dry run, apply, re-apply); builds etcd and the API servers on first use
  --base <ref>     with --live: apply the tree of this git revision first, as the running cluster,
                   so changes it would refuse (immutable fields) fail here
  --list-rules     print every rule id with its severity and title`;

interface Args {
  paths: string[];
  format: Format;
  kubeVersion?: string;
  configChecks: boolean;
  listRules: boolean;
  live: boolean;
  base?: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { paths: [], format: "text", configChecks: true, listRules: false, live: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === "--format") {
      const format = value();
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`unknown format "${format}" (text, json, sarif, github)`);
      args.format = format as Format;
    } else if (arg.startsWith("--format=")) {
      const format = arg.slice("--format=".length);
      if (!(FORMATS as readonly string[]).includes(format))
        throw new UsageError(`unknown format "${format}" (text, json, sarif, github)`);
      args.format = format as Format;
    } else if (arg === "--kube-version") {
      const version = value();
      const match = /^v?(\d+\.\d+)(\.\d+)?$/.exec(version);
      if (!match?.[1]) throw new UsageError(`--kube-version expects 1.<minor>[.<patch>], found "${version}"`);
      args.kubeVersion = match[1];
    } else if (arg === "--no-config-checks") {
      args.configChecks = false;
    } else if (arg === "--live") {
      args.live = true;
    } else if (arg === "--base") {
      args.base = value();
    } else if (arg === "--list-rules") {
      args.listRules = true;
    } else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      args.paths.push(arg.replace(/\/+$/, "").replace(/^\.\//, ""));
    }
  }
  if (args.base !== undefined && !args.live) throw new UsageError("--base needs --live");
  return args;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`validate: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.listRules) {
    for (const rule of [...RULES, ...BUILTIN_CHECKS])
      console.log(`${rule.id.padEnd(38)} ${rule.severity.padEnd(8)} ${rule.title}`);
    return 0;
  }
  const result = await runGate({
    root: ROOT,
    paths: args.paths,
    configChecks: args.configChecks,
    live: args.live,
    ...(args.base ? { base: args.base } : {}),
    ...(args.kubeVersion ? { kubeVersion: args.kubeVersion } : {}),
  });
  const { findings } = result;
  switch (args.format) {
    case "json":
      process.stdout.write(formatJson(findings));
      break;
    case "sarif":
      process.stdout.write(formatSarif(findings, [...RULES, ...BUILTIN_CHECKS]));
      break;
    case "github":
      process.stdout.write(formatGithub(findings));
      break;
    default:
      process.stdout.write(formatText(findings, result, process.stdout.isTTY === true && !process.env.NO_COLOR));
  }
  for (const note of result.notes) console.error(`validate: note: ${note}`);
  return summarize(findings).errors > 0 ? 1 : 0;
}

export async function runCommand(): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`validate: ${error.message}\n${USAGE}`);
    } else {
      console.error(`validate: internal error: ${(error as Error).stack ?? String(error)}`);
    }
    return 2;
  }
}
