// Results of deterministic, slow steps (HCL parsing in WASM, helm lint, otelcol validate) kept
// under .cache/gate-results/ (ignored), keyed by a hash of everything that decides the result:
// the input bytes, the tool binary (size and mtime) and its arguments. Same key, same answer; any
// change to an input or a tool is a new key. GATE_NO_CACHE=1 turns it off (the benchmark's cold runs).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CACHE = join(import.meta.dirname, "..", "..", ".cache", "gate-results");

/** Identifies a tool build without reading it: path, size and modification time. */
export function toolIdentity(path: string): string {
  try {
    const info = statSync(path);
    return `${path}:${info.size}:${info.mtimeMs}`;
  } catch {
    return `${path}:missing`;
  }
}

export async function cached<T>(
  namespace: string,
  key: readonly (string | Buffer)[],
  compute: () => Promise<T>,
): Promise<T> {
  if (process.env.GATE_NO_CACHE) return compute();
  const hash = createHash("sha256");
  for (const part of key) hash.update(part).update("\u0000");
  const file = join(CACHE, namespace, `${hash.digest("hex").slice(0, 32)}.json`);
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch {
      // torn file: recompute and overwrite
    }
  }
  const value = await compute();
  try {
    mkdirSync(join(CACHE, namespace), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(value));
    renameSync(temporary, file);
  } catch {
    // the cache is an optimisation only
  }
  return value;
}
