// Each tools/kube-apiserver-1.<minor>/ module requires the k8s.io/kubernetes release its tool.sh
// names and replaces every staging module with that release's published v0.<minor>.<patch>: a
// copy of facts that must agree (tools/kube-apiserver/new-minor.sh writes them together).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ROOT, toolPin } from "./toolchain.ts";

const dirs = readdirSync(join(ROOT, "tools")).filter((d) => /^kube-apiserver-1\.\d+$/.test(d));

test("there is at least one pinned kube-apiserver", () => {
  assert.ok(dirs.length > 0);
});

for (const dir of dirs) {
  test(`${dir}: go.mod, tool.sh and the folder name agree on one release`, () => {
    const { version, name } = toolPin(dir);
    assert.is(name, dir);
    const [, minor, patch] = /^v1\.(\d+)\.(\d+)$/.exec(version) ?? [];
    assert.is(`kube-apiserver-1.${minor}`, dir);
    const goMod = readFileSync(join(ROOT, "tools", dir, "go.mod"), "utf8");
    assert.match(goMod, new RegExp(`^\\s*k8s\\.io/kubernetes ${version.replaceAll(".", "\\.")}\\b`, "m"));
    const replaced = [...goMod.matchAll(/^\s*(k8s\.io\/[a-z0-9-]+) => (k8s\.io\/[a-z0-9-]+) (v\S+)$/gm)];
    assert.ok(replaced.length >= 25, `only ${replaced.length} staging modules replaced`);
    for (const [, from, to, at] of replaced) {
      assert.is(to, from);
      assert.is(at, `v0.${minor}.${patch}`, `${from} is replaced at ${at}`);
    }
  });
}

test.run();
