// The gate's schema pass alone, as a process of its own (the benchmark times it against the
// kubeconform process on the same files): parse every YAML document strictly and validate it
// against the schemas of the given Kubernetes minor version. Prints "<objects> <invalid>".
// Like policies/cli.ts it turns on Node's compile cache before loading the gate's modules.
//   node policies/bench/schema-pass.ts <minor> <file…>
import { readFileSync } from "node:fs";
import { enableCompileCache } from "node:module";
import { join } from "node:path";

if (!process.env.GATE_NO_CACHE) enableCompileCache(join(import.meta.dirname, "..", "..", ".cache", "node-compile"));
const { SchemaRegistry, validateObjects } = await import("../../schemas/validate.ts");
const { parseYamlFile } = await import("../engine/load.ts");

const [minor, ...files] = process.argv.slice(2);
if (!minor || files.length === 0) {
  console.error("usage: schema-pass.ts <minor> <file…>");
  process.exit(2);
}
const registry = new SchemaRegistry(minor);
let objects = 0;
let invalid = 0;
for (const file of files) {
  const parsed = parseYamlFile(file, readFileSync(file, "utf8"));
  objects += parsed.objects.length;
  invalid += parsed.findings.length + validateObjects(parsed.objects, registry).length;
}
console.log(`${objects} ${invalid}`);
process.exitCode = invalid > 0 ? 1 : 0;
