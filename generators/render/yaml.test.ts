import { test } from "uvu";
import * as assert from "uvu/assert";
import { canonicalize, parseDocuments, toYaml } from "./yaml.ts";

test("identifying keys lead, the rest follow by code point", () => {
  const text = toYaml({
    spec: { b: 1, B: 2, a: 3 },
    metadata: { labels: { z: "1", a: "2" }, namespace: "tempo", name: "x" },
    kind: "Service",
    apiVersion: "v1",
  });
  assert.is(
    text,
    [
      "apiVersion: v1",
      "kind: Service",
      "metadata:",
      "  name: x",
      "  namespace: tempo",
      "  labels:",
      '    a: "2"',
      '    z: "1"',
      "spec:",
      "  B: 2",
      "  a: 3",
      "  b: 1",
      "",
    ].join("\n"),
  );
});

test("list items put `name` first and keep their order", () => {
  const value = canonicalize({
    containers: [
      { image: "b", name: "second" },
      { image: "a", name: "first" },
    ],
  });
  assert.equal(JSON.stringify(value), '{"containers":[{"name":"second","image":"b"},{"name":"first","image":"a"}]}');
});

test("the same object in any key order gives the same bytes", () => {
  const a = { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c" }, data: { y: "1", x: "2" } };
  const b = { data: { x: "2", y: "1" }, metadata: { name: "c" }, apiVersion: "v1", kind: "ConfigMap" };
  assert.is(toYaml(a), toYaml(b));
});

test("multi-line strings become literal blocks, long lines are never folded, no anchors", () => {
  const shared = { cpu: "1" };
  const text = toYaml({ data: { "tempo.yaml": "a: 1\nb: 2\n" }, long: "x".repeat(300), r1: shared, r2: shared });
  assert.match(text, /tempo\.yaml: \|\n {4}a: 1\n {4}b: 2\n/);
  assert.match(text, /long: x{300}\n/);
  assert.not.match(text, /[&*]a1/);
});

test("strings that YAML 1.1 (Kubernetes) would read as booleans or numbers stay quoted", () => {
  const text = toYaml({ a: "yes", b: "on", c: "No", d: "0755", e: "1.0", f: "true", g: "plain" });
  assert.is(text, 'a: "yes"\nb: "on"\nc: "No"\nd: "0755"\ne: "1.0"\nf: "true"\ng: plain\n');
});

test("parseDocuments skips empty documents and rejects duplicate keys", () => {
  const objects = parseDocuments("---\n# only a comment\n---\nkind: A\n---\n\n---\nkind: B\n", "t");
  assert.equal(objects, [{ kind: "A" }, { kind: "B" }]);
  assert.throws(() => parseDocuments("kind: A\nkind: B\n", "chart x"), /^chart x: duplicated mapping key/);
  assert.throws(() => parseDocuments("- a\n- b\n", "chart y"), /chart y: YAML document 1 is not an object/);
});

test.run();
