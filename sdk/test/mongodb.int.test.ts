// mongodb, instrumented by name, with the real `mongodb` npm driver against a real MongoDB
// wire-protocol server: FerretDB on its SQLite handler (sdk/test/ferretdb.ts; MongoDB itself is
// not packaged by Debian), private to this file. What is tested is the client's spans: names,
// kind, parent, the semantic-convention attributes, no span outside a request, an error span for
// a command the server fails, and that no document value (an e-mail address here) is recorded:
// statements keep their shape only.
// needs tools: ferretdb
import { createRequire } from "node:module";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ensureTools } from "../../policies/live/tools.ts";
import { ROOT } from "../../scripts/repo-files.ts";
import { type MongoServer, startFerretDb } from "./ferretdb.ts";
import { spansAfter, startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing({ instrumentations: ["mongodb"] });
const require = createRequire(import.meta.url);
const { MongoClient } = require("mongodb") as typeof import("mongodb");

const EMAIL = "jane.roe@example.org";

const tracer = trace.getTracer("mongodb.test");
const test = suite("mongodb");
const state: { client?: InstanceType<typeof MongoClient>; server?: MongoServer } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));
const mongoSpans = (spans: readonly ReadableSpan[]) =>
  spans.filter((s) => s.instrumentationScope.name === "@opentelemetry/instrumentation-mongodb");

test.before(async () => {
  // Built on first use when this file runs on its own (the test runner builds it beforehand).
  ensureTools(ROOT, ["ferretdb"]);
  state.server = await startFerretDb();
  state.client = new MongoClient(state.server.uri, {
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    socketTimeoutMS: 10_000,
    heartbeatFrequencyMS: 60_000,
    retryWrites: false,
    retryReads: false,
    maxPoolSize: 1,
  });
  await state.client.connect();
  await tracing.takeSpans();
});

test.after(async () => {
  await state.client?.close();
  await state.server?.stop();
});

async function inRequest(work: () => Promise<unknown>) {
  const request = tracer.startSpan("POST /signup", { kind: SpanKind.SERVER });
  await context.with(trace.setSpan(context.active(), request), work);
  request.end();
  return request;
}

function client() {
  if (!state.client) throw new Error("no client");
  return state.client;
}

test("an insert and a find in a request are client spans of it, with the database attributes and no values", async () => {
  const users = client().db("shop").collection("users");
  const request = await inRequest(async () => {
    await users.insertOne({ email: EMAIL, plan: "pro", age: 42 });
    const found = await users.find({ email: EMAIL }).toArray();
    assert.is(found[0]?.email, EMAIL);
  });
  const spans = await spansAfter(tracing, 3);
  const insert = spans.find((s) => s.name === "insert users");
  const find = spans.find((s) => s.name === "find users");
  assert.ok(insert && find, `no "insert users" and "find users" spans in ${names(spans)}`);
  assert.is(mongoSpans(spans).length, 2, names(spans));
  for (const [span, operation] of [
    [insert, "insert"],
    [find, "find"],
  ] as const) {
    assert.is(span.kind, SpanKind.CLIENT);
    assert.is(span.parentSpanContext?.spanId, request.spanContext().spanId);
    assert.is(span.spanContext().traceId, request.spanContext().traceId);
    assert.is(span.status.code, SpanStatusCode.UNSET);
    const a = span.attributes;
    assert.is(a["db.system.name"], "mongodb");
    assert.is(a["db.namespace"], "shop");
    assert.is(a["db.collection.name"], "users");
    assert.is(a["db.operation.name"], operation);
    assert.is(a["server.address"], "127.0.0.1");
    assert.is(a["server.port"], state.server?.port);
  }
  // The statement keeps the shape (which fields) and loses every value.
  assert.is(insert.attributes["db.query.text"], '{"email":"?","plan":"?","age":"?","_id":"?"}');
  assert.match(String(find.attributes["db.query.text"]), /"filter":\{"email":"\?"\}/);
  for (const span of spans)
    for (const [key, value] of Object.entries(span.attributes))
      assert.not.ok(String(value).includes(EMAIL) || String(value).includes("jane"), `${span.name} ${key}: ${value}`);
});

test("outside a request, no mongodb span is made", async () => {
  const users = client().db("shop").collection("users");
  await users.insertOne({ email: EMAIL });
  await users.find({}).toArray();
  await client().db("admin").command({ ping: 1 });
  const spans = await tracing.takeSpans();
  assert.is(mongoSpans(spans).length, 0, names(spans));
});

test("a command the server fails is an error span (a write error is not: the command succeeds)", async () => {
  const users = client().db("shop").collection("users");
  let failed: unknown;
  let duplicate: unknown;
  const request = await inRequest(async () => {
    failed = await users
      .aggregate([{ $noSuchStage: { email: EMAIL } }])
      .toArray()
      .catch((error: unknown) => error);
    await users.insertOne({ _id: "u-1" as never, email: EMAIL });
    duplicate = await users.insertOne({ _id: "u-1" as never, email: EMAIL }).catch((error: unknown) => error);
  });
  assert.instance(failed, Error);
  assert.instance(duplicate, Error);
  assert.match((duplicate as Error).message, /E11000|duplicate key/);
  const spans = await spansAfter(tracing, 4);
  // aggregate goes as a database command (namespace shop.$cmd), which 0.77.0 names by that
  // namespace's collection part: `aggregate $cmd`, not `aggregate users`.
  const aggregate = spans.find((s) => s.name === "aggregate $cmd");
  assert.ok(aggregate, `no "aggregate $cmd" span in ${names(spans)}`);
  assert.is(aggregate.attributes["db.namespace"], "shop");
  assert.is(aggregate.attributes["db.operation.name"], "aggregate");
  assert.is(aggregate.kind, SpanKind.CLIENT);
  assert.is(aggregate.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(aggregate.status.code, SpanStatusCode.ERROR);
  assert.ok(aggregate.status.message, "the server's error message");
  // A duplicate key is a write error inside a successful reply (ok: 1): the driver throws, the
  // command span stays unset, as against MongoDB.
  const inserts = spans.filter((s) => s.name === "insert users");
  assert.equal(
    inserts.map((s) => s.status.code),
    [SpanStatusCode.UNSET, SpanStatusCode.UNSET],
  );
  for (const span of spans)
    for (const [key, value] of Object.entries(span.attributes))
      assert.not.ok(String(value).includes(EMAIL), `${span.name} ${key}: ${value}`);
});

test.run();
