// Reading .github/CODEOWNERS the way GitHub does: gitignore-style patterns, the last matching line
// wins, a line without owners un-owns its paths. Lets a test prove that the paths that must have a
// reviewer do (scripts/codeowners.test.ts).

export interface OwnerRule {
  pattern: string;
  owners: string[];
  /** 1-based line of the file, for messages. */
  line: number;
  matches: (path: string) => boolean;
}

const SPECIAL = /[.+^${}()|[\]\\]/g;

/** A CODEOWNERS pattern as a test on repository-relative paths (no leading slash). */
export function patternMatcher(pattern: string): (path: string) => boolean {
  let body = pattern.startsWith("/") ? pattern.slice(1) : pattern;
  // A slash at the start or in the middle anchors the pattern at the root; otherwise it matches
  // at any depth, like gitignore.
  const anchored = pattern.startsWith("/") || body.replace(/\/$/, "").includes("/");
  const directoryOnly = body.endsWith("/");
  if (directoryOnly) body = body.slice(0, -1);
  let source = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === "*" && body[i + 1] === "*") {
      // `**/` is any number of directories; a trailing `**` is everything below.
      if (body[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(SPECIAL, "\\$&");
  }
  // A directory pattern owns what is inside; a name pattern owns the file, or the directory's contents.
  const regex = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${source}${directoryOnly ? "/.+" : "(?:/.+)?"}$`);
  return (path) => regex.test(path);
}

export function parseCodeowners(text: string, file = ".github/CODEOWNERS"): OwnerRule[] {
  const rules: OwnerRule[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line === "") return;
    const [pattern, ...owners] = line.split(/\s+/) as [string, ...string[]];
    for (const owner of owners)
      if (!/^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/.test(owner) && !/^[^@\s]+@[^@\s]+$/.test(owner))
        throw new Error(`${file}:${index + 1}: ${JSON.stringify(owner)}: expected @user, @org/team or an email`);
    if (pattern.startsWith("!") || /\[/.test(pattern))
      throw new Error(`${file}:${index + 1}: ${pattern}: CODEOWNERS has no negation or character ranges`);
    rules.push({ pattern, owners, line: index + 1, matches: patternMatcher(pattern) });
  });
  return rules;
}

/** The rule that decides who owns `path` (the last that matches), or undefined. */
export function ownerRule(rules: readonly OwnerRule[], path: string): OwnerRule | undefined {
  return rules.findLast((rule) => rule.matches(path));
}
