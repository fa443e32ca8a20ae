// Reads PromQL the way Prometheus does (the Lezer grammar of Prometheus's own UI) and lists what an
// expression references: metric names with the labels matched on each, and the labels used by
// `by`, `without`, `on`, `ignoring` and `group_left/right`. Grafana's macros and variables are
// replaced by values that parse first.
import type { SyntaxNode } from "@lezer/common";
import { parser } from "@prometheus-io/lezer-promql";

export interface Selector {
  metric: string;
  labels: string[];
}

export interface References {
  selectors: Selector[];
  grouping: string[];
}

export class PromqlSyntaxError extends Error {}

/** `$__rate_interval` → 1m, `$var`/`${var}` → `.*` (all of them sit inside regex matchers). */
export function substituteGrafana(expr: string): string {
  return expr
    .replace(/\$__rate_interval|\$__interval|\$__range/g, "1m")
    .replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, ".*");
}

function children(node: SyntaxNode, name: string): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) if (child.name === name) found.push(child);
  return found;
}

export function references(expr: string): References {
  const text = substituteGrafana(expr);
  const tree = parser.parse(text);
  const selectors: Selector[] = [];
  const grouping = new Set<string>();
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) {
      throw new PromqlSyntaxError(
        `PromQL syntax error at ${cursor.from}: …${text.slice(cursor.from, cursor.from + 30)}`,
      );
    }
    const node = cursor.node;
    if (node.name === "VectorSelector") {
      const identifier = children(node, "Identifier")[0];
      const labels: string[] = [];
      let metric = identifier ? text.slice(identifier.from, identifier.to) : "";
      for (const matchers of children(node, "LabelMatchers")) {
        for (let m = matchers.firstChild; m; m = m.nextSibling) {
          const name = m.getChild("LabelName");
          if (!name) continue;
          const label = text.slice(name.from, name.to);
          if (label === "__name__") {
            const value = m.getChild("StringLiteral");
            if (value) metric = text.slice(value.from + 1, value.to - 1);
          } else {
            labels.push(label);
          }
        }
      }
      selectors.push({ metric, labels });
    }
    if (node.name === "GroupingLabels") {
      for (const name of children(node, "LabelName")) grouping.add(text.slice(name.from, name.to));
    }
  } while (cursor.next());
  return { selectors, grouping: [...grouping].sort() };
}

/** Grafana's `label_values(<selector>, <label>)` variable query → the selector and the label. */
export function labelValuesQuery(query: string): { selector: string; label: string } | undefined {
  const match = /^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(query.trim());
  return match?.[1] && match[2] ? { selector: match[1], label: match[2] } : undefined;
}
