// `npm run generate -- [--check] [--env <name>] [--allow-remove] [--acknowledge "<id>: <reason>"]… [--root <dir>]`
//
//   (no flag)       render every cluster from clusters/<env>/cluster.ts and swap the results in
//   --check         change nothing; exit 1 listing every missing, extra or differing file
//   --env <name>    only that cluster (dev, staging, prod)
//   --allow-remove  permit removing a whole app folder, or a cluster whose cluster.ts is gone
//   --acknowledge   accept one risky change the impact report names (data loss, a sync the API
//                   server refuses), by its id and with a reason; repeat for each
//   --root <dir>    the repository to work on (default: this one; tests use scratch copies)
//
// Exit codes: 0 done (or no drift), 1 a model, render or drift problem (nothing written),
// 2 wrong usage.
import { resolve } from "node:path";
import { parseArgv } from "zx";
import { generate } from "./generate.ts";
import { parseAcknowledgement } from "./impact/acknowledge.ts";
import type { Acknowledged } from "./impact/report.ts";

const KNOWN = new Set(["_", "check", "env", "allow-remove", "acknowledge", "root", "help"]);
const args = parseArgv(process.argv.slice(2), {
  boolean: ["check", "allow-remove", "help"],
  string: ["env", "root", "acknowledge"],
});
const unknown = Object.keys(args).filter((key) => !KNOWN.has(key));
const usage =
  'usage: npm run generate -- [--check] [--env <name>] [--allow-remove] [--acknowledge "<id>: <reason>"]… [--root <dir>]';
const acknowledgements = [args.acknowledge ?? []].flat().map(String);

if (args.help) {
  console.log(usage);
} else if (unknown.length > 0 || args._.length > 0 || args.env === "" || args.root === "") {
  const what = [...unknown.map((k) => `--${k}`), ...args._.map(String)].join(", ") || "an empty --env or --root";
  console.error(`generate: unexpected ${what}\n${usage}`);
  process.exitCode = 2;
} else {
  let acknowledged: Acknowledged[];
  try {
    acknowledged = acknowledgements.map(parseAcknowledgement);
  } catch (error) {
    console.error(`generate: ${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
  const result = await generate({
    acknowledged,
    root: resolve(args.root ?? resolve(import.meta.dirname, "..")),
    check: Boolean(args.check),
    environment: args.env,
    allowRemove: Boolean(args["allow-remove"]),
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  });
  process.exitCode = result.exitCode;
}
