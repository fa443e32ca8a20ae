// Glob matching for paths, span names and attribute keys: `*` matches any run of characters, all
// else is literal. Compiled once into a RegExp so matching on the hot path is one regex test.

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`);
}

/** Compiles a list of globs into one matcher; an empty list matches nothing. */
export function compileGlobs(globs: readonly string[]): (value: string) => boolean {
  if (globs.length === 0) return () => false;
  const exact = new Set(globs.filter((g) => !g.includes("*")));
  // A length check first: most values (request paths with ids) match no entry's length, and an
  // integer lookup is cheaper than hashing a string seen for the first time.
  const exactLengths = new Set([...exact].map((g) => g.length));
  const patterns = globs.filter((g) => g.includes("*")).map(globToRegExp);
  if (patterns.length === 0) return (value) => exactLengths.has(value.length) && exact.has(value);
  return (value) => (exactLengths.has(value.length) && exact.has(value)) || patterns.some((p) => p.test(value));
}
