// Reads the pins of tools/<tool>/ so tests compare the built binaries against the one place each
// version is written.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, ".tools", "bin");

/** The TOOL_* assignments of tools/<tool>/tool.sh. */
export function toolPin(tool: string): { name: string; version: string; pkg: string } {
  const text = readFileSync(join(ROOT, "tools", tool, "tool.sh"), "utf8");
  const read = (key: string) => {
    const match = new RegExp(`^${key}=(.*)$`, "m").exec(text);
    if (!match?.[1]) throw new Error(`tools/${tool}/tool.sh has no ${key}`);
    return match[1].replace(/^"|"$/g, "");
  };
  return { name: read("TOOL_NAME"), version: read("TOOL_VERSION"), pkg: read("TOOL_PACKAGE") };
}

export function nodePin(): { version: string; min: string } {
  const text = readFileSync(join(ROOT, "tools", "node", "pin.env"), "utf8");
  const read = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(text)?.[1] ?? "";
  return { version: read("NODE_VERSION"), min: read("NODE_MIN") };
}
