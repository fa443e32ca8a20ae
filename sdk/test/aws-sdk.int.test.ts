// needs tools: gofakes3
// aws-sdk, instrumented by name, with AWS SDK v3's S3 client against a real S3-protocol server
// (gofakes3's in-memory backend, gofakes3.ts) started once for this file on 127.0.0.1: each command
// made inside a request is a client span of it, named and attributed as the AWS semantic
// conventions say. The credentials are dummies and the endpoint is loopback (path-style), so no
// call can reach AWS. SQS is not covered: the Go SQS emulator looked at, goaws (v0.4.5, its latest
// on the Go module proxy, 2023), speaks only SQS's query protocol; @aws-sdk/client-sqs 3.1175.0
// speaks AWS JSON 1.0.
import { createRequire } from "node:module";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { declaredTools, ensureTools } from "../../policies/live/tools.ts";
import { ROOT } from "../../scripts/repo-files.ts";
import { type FakeS3, startFakeS3 } from "./gofakes3.ts";
import { spansAfter, startInMemoryTracing } from "./support.ts";

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
const tracing = startInMemoryTracing({ instrumentations: ["aws-sdk"] });
// Loaded after tracing started, through require, so the instrumentation's require hooks patch the
// SDK's middleware stack and client.
const require = createRequire(import.meta.url);
const s3 = require("@aws-sdk/client-s3") as typeof import("@aws-sdk/client-s3");

const tracer = trace.getTracer("aws-sdk.int.test");
const test = suite("aws-sdk");
const state: { server?: FakeS3; client?: InstanceType<typeof s3.S3Client> } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));

test.before(async () => {
  state.server = await startFakeS3();
  state.client = new s3.S3Client({
    endpoint: state.server.endpoint,
    region: "eu-west-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "test-access-key", secretAccessKey: "test-secret-key" },
    // One attempt: a failure is reported at once, not after the SDK's retries and back-off.
    maxAttempts: 1,
  });
  // The bucket is made outside any request span; its span is dropped before the tests look.
  await state.client.send(new s3.CreateBucketCommand({ Bucket: "invoices" }));
  await spansAfter(tracing, 1);
});

test.after(async () => {
  state.client?.destroy();
  await state.server?.stop();
});

/** Runs `work` inside a server span standing for an incoming request; returns that span. */
async function inRequest(work: () => Promise<unknown>) {
  const request = tracer.startSpan("POST /invoices", { kind: SpanKind.SERVER });
  try {
    await context.with(trace.setSpan(context.active(), request), work);
  } catch {
    // the failure is what the test looks at, on the span
  } finally {
    request.end();
  }
  return request;
}

test("each S3 command inside a request is a client span of it, with the rpc and aws.s3 attributes", async () => {
  const client = state.client;
  if (!client) throw new Error("no client");
  const request = await inRequest(async () => {
    await client.send(new s3.PutObjectCommand({ Bucket: "invoices", Key: "2026/42.txt", Body: "invoice 42" }));
    const got = await client.send(new s3.GetObjectCommand({ Bucket: "invoices", Key: "2026/42.txt" }));
    assert.is(await got.Body?.transformToString(), "invoice 42");
  });
  const spans = await spansAfter(tracing, 3);
  const put = spans.find((s) => s.name === "S3.PutObject");
  const get = spans.find((s) => s.name === "S3.GetObject");
  assert.ok(put, `no S3.PutObject span in ${names(spans)}`);
  assert.ok(get, `no S3.GetObject span in ${names(spans)}`);
  for (const [span, method] of [
    [put, "PutObject"],
    [get, "GetObject"],
  ] as const) {
    assert.is(span.kind, SpanKind.CLIENT, span.name);
    assert.is(span.attributes["rpc.system"], "aws-api", span.name);
    assert.is(span.attributes["rpc.service"], "S3", span.name);
    assert.is(span.attributes["rpc.method"], method, span.name);
    assert.is(span.attributes["aws.s3.bucket"], "invoices", span.name);
    assert.is(span.attributes["cloud.region"], "eu-west-1", span.name);
    assert.is(span.attributes["http.response.status_code"], 200, span.name);
    assert.is(span.status.code, SpanStatusCode.UNSET, span.name);
    assert.is(span.spanContext().traceId, request.spanContext().traceId, span.name);
    assert.is(span.parentSpanContext?.spanId, request.spanContext().spanId, span.name);
  }
  // Nothing of the credentials is recorded.
  assert.not.match(JSON.stringify(spans.map((s) => s.attributes)), /test-secret-key|test-access-key/);
});

test("a command the server refuses is an error span with S3's status code", async () => {
  const client = state.client;
  if (!client) throw new Error("no client");
  const request = await inRequest(() =>
    client.send(new s3.GetObjectCommand({ Bucket: "invoices", Key: "missing.txt" })),
  );
  const spans = await spansAfter(tracing, 2);
  const get = spans.find((s) => s.name === "S3.GetObject");
  assert.ok(get, `no S3.GetObject span in ${names(spans)}`);
  assert.is(get.status.code, SpanStatusCode.ERROR);
  assert.is(get.attributes["http.response.status_code"], 404);
  assert.ok(
    get.events.some((e) => e.name === "exception"),
    "the S3 error is recorded as an exception event",
  );
  assert.is(get.parentSpanContext?.spanId, request.spanContext().spanId);
});

test.run();
