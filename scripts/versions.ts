// versions.json: every version the platform pins, in one place (its $comment says how to bump
// one). Code that needs a version reads it here; the copies other formats need (go.mod, tool.sh,
// Chart.yaml, .nvmrc, the README) are held to it by tools/tests/pins.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Image {
  repository: string;
  tag: string;
}

export interface Versions {
  node: string;
  images: { tempo: Image; collector: Image };
  /** tools/<name>/ → the version its tool.sh builds. */
  tools: Record<string, string>;
  /** Go module → version, for the CRD schemas schemas/build.ts generates. */
  crdSources: Record<string, string>;
}

export const VERSIONS_FILE = join(import.meta.dirname, "..", "versions.json");

export const VERSIONS: Versions = JSON.parse(readFileSync(VERSIONS_FILE, "utf8"));
