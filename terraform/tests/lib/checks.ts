// Structural checks on parsed Terraform. Each returns the problems it finds as sentences naming the
// file and the block, empty when all is well, so a test can show a bad case firing and a good one
// staying quiet.
import { type Block, expressionText, type HclBody, nested, type TerraformModule } from "./hcl.ts";

function label(block: Block): string {
  return block.labels.map((l) => `"${l}"`).join(" ");
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

/** Every variable is typed and described; the named ones (those that reach ARNs and policies) carry a validation. */
export function variableProblems(module: TerraformModule, mustValidate: readonly string[]): string[] {
  const problems: string[] = [];
  const byName = new Map(module.variables.map((v) => [v.labels[0], v]));
  for (const variable of module.variables) {
    const where = `${variable.file}: variable ${label(variable)}`;
    if (!nonEmptyString(variable.body.type)) problems.push(`${where} has no type`);
    if (!nonEmptyString(variable.body.description)) problems.push(`${where} has no description`);
    for (const validation of nested(variable.body, "validation")) {
      if (!nonEmptyString(validation.condition)) problems.push(`${where} has a validation without a condition`);
      if (!nonEmptyString(validation.error_message))
        problems.push(`${where} has a validation without an error_message`);
    }
  }
  for (const name of mustValidate) {
    const variable = byName.get(name);
    if (!variable) problems.push(`${module.dir}: variable "${name}" is expected but not declared`);
    else if (nested(variable.body, "validation").length === 0)
      problems.push(`${variable.file}: variable "${name}" has no validation block`);
  }
  return problems;
}

export function outputProblems(module: TerraformModule): string[] {
  return module.outputs
    .filter((output) => !nonEmptyString(output.body.description))
    .map((output) => `${output.file}: output ${label(output)} has no description`);
}

/**
 * A constraint pins when it cannot silently move to the next major version: it names an exact
 * version, uses the pessimistic operator (~>), or carries an upper bound (<, <=).
 */
export function constraintPins(constraint: unknown): boolean {
  if (typeof constraint !== "string" || constraint.trim() === "") return false;
  const parts = constraint.split(",").map((part) => part.trim());
  return parts.some((part) => /^(~>|<=?|=)\s*\d/.test(part) || /^\d+\.\d+\.\d+$/.test(part));
}

/** Terraform itself and every required provider are pinned, with an explicit source. */
export function pinningProblems(module: TerraformModule): string[] {
  const problems: string[] = [];
  if (module.settings.length === 0)
    return [`${module.dir}: no terraform {} block (required_version, required_providers)`];
  const versions = module.settings.map((s) => s.body.required_version).filter((v) => v !== undefined);
  if (versions.length === 0) problems.push(`${module.dir}: terraform { required_version } is not set`);
  for (const version of versions) {
    if (!constraintPins(version))
      problems.push(`${module.dir}: required_version "${String(version)}" has no upper bound`);
  }
  const providers = module.settings.flatMap((s) =>
    nested(s.body, "required_providers").flatMap((rp) => Object.entries(rp).map(([name, spec]) => ({ s, name, spec }))),
  );
  if (providers.length === 0) problems.push(`${module.dir}: terraform { required_providers } is empty`);
  for (const { s, name, spec } of providers) {
    const where = `${s.file}: required_providers.${name}`;
    const entry = (spec ?? {}) as HclBody;
    if (typeof spec === "string" || !nonEmptyString(entry.source)) problems.push(`${where} has no source`);
    if (!constraintPins(typeof spec === "string" ? spec : entry.version))
      problems.push(
        `${where} is not pinned (version "${String(typeof spec === "string" ? spec : (entry.version ?? ""))}")`,
      );
  }
  const declared = new Set(providers.map((p) => p.name));
  const used = new Set([...module.resources, ...module.data].map((b) => (b.labels[0] ?? "").split("_")[0] as string));
  for (const provider of module.providers) used.add(provider.labels[0] as string);
  for (const name of used) {
    // terraform_data and friends come with Terraform itself.
    if (name !== "terraform" && !declared.has(name))
      problems.push(`${module.dir}: provider "${name}" is used but not in required_providers`);
  }
  return problems;
}

function requiredVariables(module: TerraformModule): string[] {
  return module.variables.filter((v) => !("default" in v.body)).map((v) => v.labels[0] as string);
}

/**
 * A stack's call of the module passes only variables the module declares, every one it requires,
 * each straight from the stack's variable of the same name (no literal that could drift from the model).
 */
export function moduleCallProblems(
  stack: TerraformModule,
  callName: string,
  module: TerraformModule,
  metaArguments: readonly string[] = ["source", "count", "for_each", "depends_on", "providers", "version"],
): string[] {
  const call = stack.modules.find((m) => m.labels[0] === callName);
  if (!call) return [`${stack.dir}: no module "${callName}" block`];
  const where = `${call.file}: module "${callName}"`;
  const declared = new Set(module.variables.map((v) => v.labels[0] as string));
  const problems: string[] = [];
  const passed = Object.keys(call.body).filter((key) => !metaArguments.includes(key));
  for (const name of passed) {
    if (!declared.has(name)) problems.push(`${where} passes "${name}", which ${module.dir} does not declare`);
    const value = expressionText(call.body[name]);
    if (value !== `var.${name}`)
      problems.push(
        `${where} sets "${name}" to ${JSON.stringify(call.body[name])}; expected var.${name}, read from the cluster model`,
      );
  }
  for (const name of requiredVariables(module)) {
    if (!passed.includes(name)) problems.push(`${where} does not pass "${name}", which ${module.dir} requires`);
  }
  return problems;
}

/** The stack declares exactly the contract's variables: nothing missing, nothing extra. */
export function stackVariableProblems(stack: TerraformModule, contractKeys: readonly string[]): string[] {
  const declared = stack.variables.map((v) => v.labels[0] as string);
  const problems: string[] = [];
  for (const key of contractKeys) {
    if (!declared.includes(key))
      problems.push(`${stack.dir}: variable "${key}" of the tfvars contract is not declared`);
  }
  for (const name of declared) {
    if (!contractKeys.includes(name))
      problems.push(`${stack.dir}: variable "${name}" is not in the tfvars contract; the generator will never set it`);
  }
  return problems;
}

/** Remote state in S3 with native locking, encrypted, under a key that names the environment. */
export function backendProblems(stack: TerraformModule, env: string): string[] {
  // hcl2json keeps a labelled block inside `terraform {}` as { backend: { <type>: [body] } }.
  const backends = stack.settings.flatMap((s) =>
    Object.entries((s.body.backend ?? {}) as Record<string, unknown>).map(([type, bodies]) => ({ s, type, bodies })),
  );
  if (backends.length !== 1) return [`${stack.dir}: expected one backend block, found ${backends.length}`];
  const { s, type, bodies } = backends[0] as (typeof backends)[number];
  const where = `${s.file}: backend "${type}"`;
  if (type !== "s3") return [`${where}: expected the s3 backend`];
  const body = (Array.isArray(bodies) ? bodies[0] : {}) as HclBody;
  const problems: string[] = [];
  if (body.use_lockfile !== true) problems.push(`${where}: use_lockfile is not true (no state locking)`);
  if ("dynamodb_table" in body) problems.push(`${where}: dynamodb_table is deprecated; lock with use_lockfile`);
  if (body.encrypt !== true) problems.push(`${where}: encrypt is not true`);
  if (typeof body.key !== "string" || !body.key.split(/[/.]/).includes(env))
    problems.push(`${where}: key ${JSON.stringify(body.key)} does not name the environment "${env}"`);
  return problems;
}
