// .github/CODEOWNERS: what changes what Argo CD may do, what prod runs, or the gate itself has the
// platform leads as reviewers, file by file as GitHub resolves them (the last matching line wins),
// and every team it names is described in CONTRIBUTING.md.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type OwnerRule, ownerRule, parseCodeowners, patternMatcher } from "./codeowners.ts";

const ROOT = join(import.meta.dirname, "..");
const FILE = ".github/CODEOWNERS";
const LEADS = "@greenlang/platform-leads";
const text = readFileSync(join(ROOT, FILE), "utf8");

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(ROOT.length + 1))
    .sort();
}

/**
 * The paths that need the leads' review: every Argo CD folder of every cluster, all of prod, the
 * Argo CD renderer, the gate — each file there today, plus a file added there tomorrow.
 */
function guardedPaths(): string[] {
  const clusters = readdirSync(join(ROOT, "clusters"), { withFileTypes: true }).filter((e) => e.isDirectory());
  return [
    ...clusters.flatMap((c) => [...filesUnder(`clusters/${c.name}/argocd`), `clusters/${c.name}/argocd/new.yaml`]),
    ...filesUnder("clusters/prod"),
    "clusters/prod/new-app/new.yaml",
    "generators/render/argocd.ts",
    ...filesUnder("policies").filter((p) => !p.includes("/node_modules/")),
    "policies/rules/new-rule/rule.ts",
    FILE,
  ];
}

/** Each guarded path whose deciding line does not name `team`, with that line. */
function notOwnedBy(rules: readonly OwnerRule[], paths: readonly string[], team: string): string[] {
  return paths.flatMap((path) => {
    const rule = ownerRule(rules, path);
    if (rule?.owners.includes(team)) return [];
    return [
      `${path}: ${rule ? `line ${rule.line} (${rule.pattern}) names ${rule.owners.join(" ") || "nobody"}` : "no line matches"}`,
    ];
  });
}

test("every guarded path is owned by the platform leads", () => {
  const paths = guardedPaths();
  assert.ok(paths.length > 100, `too few guarded paths found (${paths.length})`);
  assert.equal(notOwnedBy(parseCodeowners(text), paths, LEADS), []);
});

test("a later broad line that takes a guarded path away is caught, naming the path and the line", () => {
  const broken = `${text}\n/clusters/ @greenlang/platform-observability\n/policies/rules/\n`;
  const at = text.split("\n").length + 1;
  const problems = notOwnedBy(parseCodeowners(broken), guardedPaths(), LEADS);
  assert.ok(
    problems.includes(`clusters/prod/cluster.ts: line ${at} (/clusters/) names @greenlang/platform-observability`),
    problems.slice(0, 3).join("\n"),
  );
  assert.ok(problems.includes(`policies/rules/new-rule/rule.ts: line ${at + 1} (/policies/rules/) names nobody`));
  assert.not.ok(problems.some((p) => p.startsWith("generators/render/argocd.ts")));
});

test("everything else has an owner too", () => {
  assert.equal(ownerRule(parseCodeowners(text), "sdk/src/index.ts")?.owners, ["@greenlang/platform-observability"]);
});

test("patterns match as GitHub's (gitignore-style) do", () => {
  const cases: [string, string, boolean][] = [
    ["/clusters/*/argocd/", "clusters/dev/argocd/application-tempo.yaml", true],
    ["/clusters/*/argocd/", "clusters/dev/tempo/argocd/x.yaml", false],
    ["/clusters/*/argocd/", "clusters/dev/argocd", false],
    ["/clusters/prod/", "clusters/prod/tempo/statefulset-tempo-ingester.yaml", true],
    ["/clusters/prod/", "clusters/production/cluster.ts", false],
    ["/generators/render/argocd.ts", "generators/render/argocd.ts", true],
    ["/generators/render/argocd.ts", "generators/render/argocd.test.ts", false],
    ["*", "README.md", true],
    ["*.md", "docs/runbooks/tempo.md", true],
    ["docs/", "apps/tempo/docs/x.md", true],
    ["/docs/", "apps/tempo/docs/x.md", false],
    ["docs", "apps/tempo/docs/x.md", true],
    ["/policies/**/rule.ts", "policies/rules/k8s-probes/rule.ts", true],
    ["/policies/**/rule.ts", "policies/rules/k8s-probes/good.yaml", false],
  ];
  for (const [pattern, path, expected] of cases)
    assert.is(patternMatcher(pattern)(path), expected, `${pattern} ~ ${path}`);
});

test("the owners are teams described in CONTRIBUTING.md, and a malformed owner is refused", () => {
  const contributing = readFileSync(join(ROOT, "CONTRIBUTING.md"), "utf8");
  const teams = new Set(parseCodeowners(text).flatMap((rule) => rule.owners));
  assert.equal([...teams].sort(), [LEADS, "@greenlang/platform-observability"]);
  for (const team of teams)
    assert.ok(contributing.includes(`\`${team}\``), `${team} is not described in CONTRIBUTING.md`);
  assert.throws(() => parseCodeowners("/policies/ platform-leads\n"), /CODEOWNERS:1: "platform-leads": expected @user/);
});

test.run();
