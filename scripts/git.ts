// Reading a revision straight from git's object store (no checkout: the work tree is never
// touched), shared by the live phase's --base and the impact report.
import { execFileSync, spawnSync } from "node:child_process";

/** The full commit id of `ref`, or an error that says the ref does not exist. */
export function resolveRef(root: string, ref: string): string {
  const result = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
    cwd: root,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`--base ${ref}: no such commit in this repository`);
  return result.stdout.trim();
}

/** Reads many blobs with one `git cat-file --batch`. */
export function readBlobs(root: string, specs: readonly string[]): string[] {
  const output = execFileSync("git", ["cat-file", "--batch"], {
    cwd: root,
    input: `${specs.join("\n")}\n`,
    maxBuffer: 256 * 1024 * 1024,
  });
  const texts: string[] = [];
  let at = 0;
  for (const spec of specs) {
    const newline = output.indexOf(10, at);
    const header = output.subarray(at, newline).toString("utf8");
    const size = Number(/ blob (\d+)$/.exec(header)?.[1]);
    if (!Number.isFinite(size)) throw new Error(`git cat-file: unexpected answer for ${spec}: ${header}`);
    texts.push(output.subarray(newline + 1, newline + 1 + size).toString("utf8"));
    at = newline + 1 + size + 1;
  }
  return texts;
}

/** Every file under `prefix` at `commit` (path → text); empty when there is none. */
export function filesAt(root: string, commit: string, prefix: string): Map<string, string> {
  const listing = execFileSync("git", ["ls-tree", "-r", "--name-only", commit, "--", prefix], {
    cwd: root,
    encoding: "utf8",
  });
  const files = listing.split("\n").filter(Boolean);
  const texts =
    files.length === 0
      ? []
      : readBlobs(
          root,
          files.map((f) => `${commit}:${f}`),
        );
  return new Map(files.map((file, i) => [file, texts[i] as string]));
}
