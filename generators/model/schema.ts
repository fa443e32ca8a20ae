// A small runtime schema for the cluster model. Hand-rolled instead of JSON Schema + Ajv because
// every failure must read as `<field.path>: <what was expected> (got <value>)` for a person editing
// a TypeScript file, and each check here carries that sentence itself.

export interface Issue {
  /** Dotted path from the model root, array items as `[i]`: `collector.sampling.policies[2].percent`. */
  path: string;
  /** What would have been accepted, in words. */
  expected: string;
  /** The offending value (`undefined` when the field is missing). */
  got: unknown;
}

export interface Check {
  /** What this check accepts, in words (used for the `expected` part of an issue). */
  readonly expected: string;
  check(value: unknown, path: string, issues: Issue[]): void;
}

export function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path === "" ? key : `${path}.${key}`;
}

function leaf(expected: string, accepts: (value: unknown) => boolean): Check {
  return {
    expected,
    check(value, path, issues) {
      if (!accepts(value)) issues.push({ path, expected, got: value });
    },
  };
}

export function string(options: { pattern?: RegExp; expected?: string; minLength?: number } = {}): Check {
  const expected = options.expected ?? "a string";
  return leaf(
    expected,
    (v) =>
      typeof v === "string" &&
      v.length >= (options.minLength ?? 1) &&
      (options.pattern === undefined || options.pattern.test(v)),
  );
}

export function integer(min: number, max: number, unit = ""): Check {
  const suffix = unit ? ` ${unit}` : "";
  return leaf(
    `an integer from ${min} to ${max}${suffix}`,
    (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max,
  );
}

export function number(min: number, max: number, unit = ""): Check {
  const suffix = unit ? ` ${unit}` : "";
  return leaf(
    `a number from ${min} to ${max}${suffix}`,
    (v) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max,
  );
}

export function boolean(): Check {
  return leaf("true or false", (v) => typeof v === "boolean");
}

export function oneOf(...values: readonly string[]): Check {
  return leaf(`one of ${values.map((v) => JSON.stringify(v)).join(", ")}`, (v) => values.includes(v as string));
}

export function arrayOf(item: Check, options: { minItems?: number; unique?: boolean } = {}): Check {
  const min = options.minItems ?? 0;
  const expected = `a list${min > 0 ? ` of at least ${min}` : ""} of ${item.expected}${options.unique ? ", without duplicates" : ""}`;
  return {
    expected,
    check(value, path, issues) {
      if (!Array.isArray(value) || value.length < min) {
        issues.push({ path, expected, got: value });
        return;
      }
      value.forEach((element, i) => {
        item.check(element, join(path, i), issues);
      });
      if (options.unique) {
        const seen = new Set<string>();
        value.forEach((element, i) => {
          const key = JSON.stringify(element);
          if (seen.has(key))
            issues.push({ path: join(path, i), expected: "a value not already in the list", got: element });
          seen.add(key);
        });
      }
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A closed object: every listed key is required, and any other key is an error. */
export function object(shape: Record<string, Check>, expected = "an object"): Check {
  const known = Object.keys(shape);
  return {
    expected,
    check(value, path, issues) {
      if (!isPlainObject(value)) {
        issues.push({ path, expected, got: value });
        return;
      }
      for (const key of known) (shape[key] as Check).check(value[key], join(path, key), issues);
      for (const key of Object.keys(value).sort()) {
        if (!known.includes(key)) {
          issues.push({
            path: join(path, key),
            expected: `no such field (known: ${known.join(", ")})`,
            got: value[key],
          });
        }
      }
    },
  };
}

/** A map with free keys (e.g. labels): every key must pass `key`, every value `item`. */
export function record(key: Check, item: Check, expected = "a map"): Check {
  return {
    expected,
    check(value, path, issues) {
      if (!isPlainObject(value)) {
        issues.push({ path, expected, got: value });
        return;
      }
      for (const name of Object.keys(value).sort()) {
        key.check(name, join(path, name), issues);
        item.check(value[name], join(path, name), issues);
      }
    },
  };
}

/** An object whose shape depends on its `discriminator` field (e.g. a sampling policy's `type`). */
export function tagged(discriminator: string, variants: Record<string, Check>): Check {
  const names = Object.keys(variants);
  const expected = `an object whose ${discriminator} is one of ${names.map((n) => JSON.stringify(n)).join(", ")}`;
  return {
    expected,
    check(value, path, issues) {
      if (!isPlainObject(value)) {
        issues.push({ path, expected, got: value });
        return;
      }
      const tag = value[discriminator];
      const variant = typeof tag === "string" ? variants[tag] : undefined;
      if (!variant) {
        issues.push({ path: join(path, discriminator), expected: oneOf(...names).expected, got: tag });
        return;
      }
      variant.check(value, path, issues);
    },
  };
}

/** Renders a value for the `(got …)` part of a message: short, unambiguous, one line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(file: string, issue: Issue): string {
  return `${file}: ${issue.path}: ${issue.expected} (got ${describeValue(issue.got)})`;
}
