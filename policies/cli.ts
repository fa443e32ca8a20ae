// `npm run validate -- [paths…] [--format text|json|sarif|github] [--kube-version 1.33] [--no-config-checks]`
// Exit codes: 0 = no unwaived error, 1 = at least one unwaived error, 2 = usage or internal error.
//
// This entry only turns on Node's on-disk compile cache (.cache/node-compile, ignored) before the
// gate's modules load: the cached schema validators are megabytes of generated JavaScript, and
// reusing V8's compiled code for them is most of what makes a warm run fast.
import { enableCompileCache } from "node:module";
import { join } from "node:path";

if (!process.env.GATE_NO_CACHE) enableCompileCache(join(import.meta.dirname, "..", ".cache", "node-compile"));
const { runCommand } = await import("./command.ts");
process.exitCode = await runCommand();
