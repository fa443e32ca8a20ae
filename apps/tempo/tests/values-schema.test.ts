// values.schema.json makes helm itself refuse bad values, naming the field. Each case renders the
// chart with the real helm and one bad value on top of a valid ci values file.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dur, promDur } from "../config-schema/schema-builders.ts";
import { CHART_DIR, ciValues, helmTemplate, type Mode } from "./render.ts";

interface Rejection {
  title: string;
  base: Mode;
  set: string[];
  /** helm's JSON-pointer for the field, as it prints it: at '/storage/retention' */
  field: string;
  /** what helm says about it */
  says: RegExp;
}

const REJECTIONS: Rejection[] = [
  {
    title: "an unknown key at the root",
    base: "prod",
    set: ["replicaCount=3"],
    field: "",
    says: /additional properties 'replicaCount' not allowed/,
  },
  {
    title: "an unknown key inside a component",
    base: "prod",
    set: ["ingester.replica=3"],
    field: "/ingester",
    says: /additional properties 'replica' not allowed/,
  },
  {
    title: "an unknown key deep in resources",
    base: "prod",
    set: ["querier.resources.limits.gpu=1"],
    field: "/querier/resources/limits",
    says: /additional properties 'gpu' not allowed/,
  },
  {
    title: "a negative replica count",
    base: "prod",
    set: ["ingester.replicas=-1"],
    field: "/ingester/replicas",
    says: /minimum: got -1, want 1/,
  },
  {
    title: "a zero replica count",
    base: "staging",
    set: ["compactor.replicas=0"],
    field: "/compactor/replicas",
    says: /minimum: got 0, want 1/,
  },
  {
    title: "a malformed retention duration",
    base: "prod",
    set: ["storage.retention=14days"],
    field: "/storage/retention",
    says: /does not match pattern/,
  },
  {
    title: "a zero retention",
    base: "prod",
    set: ["storage.retention=0h"],
    field: "/storage/retention",
    says: /'0h' does not match pattern/,
  },
  {
    title: "a malformed search duration",
    base: "prod",
    set: ["limits.maxSearchDuration=1 week"],
    field: "/limits/maxSearchDuration",
    says: /does not match pattern/,
  },
  {
    title: "a distributor connection age that is no duration",
    base: "prod",
    set: ["distributor.grpcMaxConnectionAge=one minute"],
    field: "/distributor/grpcMaxConnectionAge",
    says: /does not match pattern/,
  },
  {
    // Tempo reads read.max_search_duration as a Prometheus duration: 1.5h would stop it at start.
    title: "a fractional search duration",
    base: "prod",
    set: ["limits.maxSearchDuration=1.5h"],
    field: "/limits/maxSearchDuration",
    says: /'1.5h' does not match pattern/,
  },
  {
    title: "a backend outside the allowed set",
    base: "prod",
    set: ["storage.backend=gcs"],
    field: "/storage/backend",
    says: /value must be one of 's3', 'local'/,
  },
  {
    title: "local storage with the distributed mode",
    base: "staging",
    set: ["storage.backend=local"],
    field: "/storage/backend",
    says: /value must be 's3'/,
  },
  {
    title: "a mode outside the allowed set",
    base: "prod",
    set: ["mode=scalable-single-binary"],
    field: "/mode",
    says: /value must be one of 'distributed', 'monolithic'/,
  },
  {
    title: "S3 without a bucket",
    base: "prod",
    set: ["storage.s3.bucket="],
    field: "/storage/s3/bucket",
    says: /minLength: got 0, want 3/,
  },
  {
    title: "S3 without the IRSA role",
    base: "prod",
    set: ["serviceAccount.roleArn="],
    field: "/serviceAccount/roleArn",
    says: /minLength: got 0, want 1/,
  },
  {
    title: "a role ARN that is not an IAM role",
    base: "prod",
    set: ["serviceAccount.roleArn=arn:aws:s3:::bucket"],
    field: "/serviceAccount/roleArn",
    says: /does not match pattern/,
  },
  {
    title: "an image tag that moves",
    base: "prod",
    set: ["image.tag=latest"],
    field: "/image/tag",
    says: /does not match pattern/,
  },
  {
    title: "a cluster without a name",
    base: "prod",
    set: ["cluster.name="],
    field: "/cluster/name",
    says: /minLength: got 0, want 1/,
  },
  {
    title: "an unknown environment",
    base: "prod",
    set: ["cluster.environment=production"],
    field: "/cluster/environment",
    says: /value must be one of 'dev', 'staging', 'prod'/,
  },
  {
    title: "a replication factor above 5",
    base: "prod",
    set: ["ingester.replicationFactor=7"],
    field: "/ingester/replicationFactor",
    says: /maximum: got 7, want 5/,
  },
  {
    title: "an unknown metrics-generator processor",
    base: "prod",
    set: ["metricsGenerator.processors[0]=service-graph"],
    field: "/metricsGenerator/processors/0",
    says: /value must be one of/,
  },
  {
    title: "a memory quantity that Kubernetes cannot read",
    base: "prod",
    set: ["ingester.resources.limits.memory=12GB"],
    field: "/ingester/resources/limits/memory",
    says: /does not match pattern/,
  },
  {
    title: "a CIDR that is not one",
    base: "prod",
    set: ["networkPolicy.objectStorageCidrs[0]=10.0.0.0/33"],
    field: "/networkPolicy/objectStorageCidrs/0",
    says: /does not match pattern/,
  },
];

const rejects = suite("values.schema.json rejects");

for (const r of REJECTIONS) {
  rejects(`${r.title} (${r.set.join(" ")})`, () => {
    const result = helmTemplate([ciValues(r.base)], r.set);
    assert.is.not(result.status, 0, "helm accepted the bad value");
    assert.match(result.stderr, /values don't meet the specifications of the schema/);
    // helm names the field by its JSON pointer, then says what was wrong with it.
    const line = result.stderr.split("\n").find((l) => l.includes(`at '${r.field}'`) && r.says.test(l));
    assert.ok(line, `expected a line "at '${r.field}': …${r.says.source}…" in:\n${result.stderr}`);
  });
}

rejects.run();

const accepts = suite("values.schema.json accepts");

for (const mode of ["dev", "staging", "prod"] as Mode[]) {
  accepts(`ci/${mode}-values.yaml`, () => {
    const result = helmTemplate([ciValues(mode)]);
    assert.is(result.status, 0, result.stderr);
  });
}

accepts("a monolithic Tempo on S3 (allowed: only distributed is restricted to s3)", () => {
  const result = helmTemplate(
    [ciValues("dev")],
    [
      "storage.backend=s3",
      "storage.s3.bucket=greenlang-dev-euw1-tempo-traces",
      "storage.s3.region=eu-west-1",
      "serviceAccount.roleArn=arn:aws:iam::418295730164:role/greenlang-dev-euw1-tempo",
    ],
  );
  assert.is(result.status, 0, result.stderr);
});

accepts("the chart's own defaults, once the cluster identity and S3 target are given", () => {
  const result = helmTemplate(
    [],
    [
      "cluster.name=greenlang-test",
      "cluster.environment=staging",
      "storage.s3.bucket=greenlang-test-traces",
      "storage.s3.region=eu-west-1",
      "serviceAccount.roleArn=arn:aws:iam::418295730164:role/greenlang-test-tempo",
    ],
  );
  assert.is(result.status, 0, result.stderr);
});

accepts("a search duration in days, as Tempo's Prometheus-style duration reads it (7d)", () => {
  const result = helmTemplate([ciValues("prod")], ["limits.maxSearchDuration=7d"]);
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /max_search_duration: 7d/);
});

accepts("the chart's duration grammars are the key schema's (one grammar per kind)", () => {
  const chart = JSON.parse(readFileSync(join(CHART_DIR, "values.schema.json"), "utf8")) as {
    definitions: Record<string, { pattern: string; minLength?: number }>;
  };
  assert.is(chart.definitions.duration?.pattern, dur.pattern);
  assert.is(chart.definitions.promDuration?.pattern, promDur.pattern);
  assert.is(chart.definitions.promDuration?.minLength, promDur.minLength);
});

accepts.run();
