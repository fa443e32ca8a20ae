// needs tools: mariadb-server
// mysql2 and knex (on the mysql2 driver), instrumented by name, against a real MariaDB started
// once for this file (mariadb.ts): the client spans each adds, their database attributes (stable
// semantic conventions: db.system.name, db.query.text, db.namespace…), their parent links to the
// request's span, and no span at all for a query made outside a request.
import { createRequire } from "node:module";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { declaredTools, ensureTools } from "../../policies/live/tools.ts";
import { ROOT } from "../../scripts/repo-files.ts";
import { type MariaDb, startMariaDb } from "./mariadb.ts";
import { startInMemoryTracing } from "./support.ts";

ensureTools(ROOT, declaredTools(ROOT, import.meta.filename));
const tracing = startInMemoryTracing({ instrumentations: ["mysql2", "knex"] });
// Loaded after tracing started, through require, so the instrumentations' require hooks patch them.
const require = createRequire(import.meta.url);
const mysql = require("mysql2") as typeof import("mysql2");
const knexFactory = require("knex") as typeof import("knex").default;

const tracer = trace.getTracer("databases.int.test");
const test = suite("databases");
const state: { db?: MariaDb; pool?: ReturnType<typeof mysql.createPool>; knex?: ReturnType<typeof knexFactory> } = {};

/** Runs `work` inside a request-like parent span, which it returns with the work's result. */
async function inRequest<T>(work: () => Promise<T>): Promise<{ request: ReadableSpan; result: T }> {
  const span = tracer.startSpan("GET /orders/:id", { kind: SpanKind.SERVER });
  try {
    const result = await context.with(trace.setSpan(context.active(), span), work);
    return { request: span as unknown as ReadableSpan, result };
  } finally {
    span.end();
  }
}

const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));

test.before(async () => {
  state.db = await startMariaDb();
  const connection = { host: "127.0.0.1", port: state.db.port, user: "root" };
  // Schema and rows outside any span: requireParentSpan (mysql2's through parent-only.ts) keeps
  // set-up work like this out of the traces.
  const admin = mysql.createConnection(connection).promise();
  await admin.query("CREATE DATABASE shop");
  await admin.query("CREATE TABLE shop.orders (id INT PRIMARY KEY, name VARCHAR(64))");
  await admin.query("INSERT INTO shop.orders VALUES (42, 'alice'), (43, 'bob')");
  await admin.end();
  state.pool = mysql.createPool({ ...connection, database: "shop", connectionLimit: 2 });
  state.knex = knexFactory({
    client: "mysql2",
    connection: { ...connection, database: "shop" },
    pool: { min: 0, max: 2 },
  });
});

test.after(async () => {
  await state.knex?.destroy();
  await state.pool?.promise().end();
  await state.db?.stop();
});

test("set-up queries outside a request made no span", async () => {
  const spans = await tracing.takeSpans();
  assert.equal(names(spans), "[]");
});

test("mysql2: a query inside a request is a client span of it, its statement masked, never its values", async () => {
  const pool = state.pool?.promise();
  const { request, result } = await inRequest(
    () =>
      pool?.query("SELECT name FROM orders WHERE id = ? AND name <> 'x'", [42]) ?? Promise.reject(new Error("no pool")),
  );
  assert.equal((result as unknown as [{ name: string }[]])[0], [{ name: "alice" }]);
  const spans = await tracing.takeSpans();
  const query = spans.find((s) => s.instrumentationScope.name.includes("mysql2"));
  assert.ok(query, `no mysql2 span in ${names(spans)}`);
  assert.is(query.name, "SELECT");
  assert.is(query.kind, SpanKind.CLIENT);
  assert.is(query.attributes["db.system.name"], "mysql");
  // maskStatement: the bound value (42) is never formatted in, and literals become `?`.
  assert.is(query.attributes["db.query.text"], "SELECT name FROM orders WHERE id = ? AND name <> ?");
  assert.is(query.attributes["db.namespace"], "shop");
  assert.is(query.attributes["server.address"], "127.0.0.1");
  assert.is(query.attributes["server.port"], state.db?.port);
  assert.is(query.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(query.spanContext().traceId, request.spanContext().traceId);
});

test("mysql2: a failing query's span is an error", async () => {
  const pool = state.pool?.promise();
  const { result: failure } = await inRequest(() =>
    (pool?.query("SELECT nope FROM orders") ?? Promise.resolve()).then(
      () => undefined,
      (error: Error) => error,
    ),
  );
  assert.match(String(failure), /Unknown column 'nope'/);
  const spans = await tracing.takeSpans();
  const query = spans.find((s) => s.instrumentationScope.name.includes("mysql2"));
  assert.ok(query, `no mysql2 span in ${names(spans)}`);
  assert.is(query.status.code, SpanStatusCode.ERROR);
  assert.match(query.status.message ?? "", /Unknown column 'nope'/);
});

test("mysql2: a query outside a request makes no span", async () => {
  const [rows] = await (state.pool?.promise().query("SELECT COUNT(*) AS n FROM orders") ?? Promise.reject());
  assert.equal(rows, [{ n: 2 }]);
  assert.equal(names(await tracing.takeSpans()), "[]");
});

test("knex: a query builder call is a client span of the request, with the driver's span under it", async () => {
  const knex = state.knex;
  if (!knex) throw new Error("no knex");
  // Awaited inside the request, as a handler does: a knex builder only runs when awaited.
  const { request, result } = await inRequest(async () => await knex("orders").where({ id: 43 }).select("name"));
  assert.equal(result, [{ name: "bob" }]);
  const spans = await tracing.takeSpans();
  const builder = spans.find((s) => s.instrumentationScope.name.includes("knex"));
  // The driver's span of the same statement (the pool's first connection also asks
  // `select version()`, a driver span of its own).
  const driver = spans.find(
    (s) =>
      s.instrumentationScope.name.includes("mysql2") &&
      s.attributes["db.query.text"] === builder?.attributes["db.query.text"],
  );
  assert.ok(builder, `no knex span in ${names(spans)}`);
  assert.ok(driver, `no mysql2 span under knex in ${names(spans)}`);
  assert.is(builder.name, "select shop.orders");
  assert.is(builder.kind, SpanKind.CLIENT);
  // knex names its driver, not the database: "mysql2" (the driver's own span says "mysql").
  assert.is(builder.attributes["db.system.name"], "mysql2");
  assert.is(builder.attributes["db.operation.name"], "select");
  assert.is(builder.attributes["db.collection.name"], "orders");
  assert.is(builder.attributes["db.namespace"], "shop");
  // Placeholders only: knex never records its bindings.
  assert.is(builder.attributes["db.query.text"], "select `name` from `orders` where `id` = ?");
  assert.is(builder.parentSpanContext?.spanId, request.spanContext().spanId);
  assert.is(driver.parentSpanContext?.spanId, builder.spanContext().spanId);
});

test("knex: a query outside a request makes no span, neither knex's nor the driver's", async () => {
  const knex = state.knex;
  if (!knex) throw new Error("no knex");
  assert.equal(await knex("orders").count({ n: "*" }), [{ n: 2 }]);
  assert.equal(names(await tracing.takeSpans()), "[]");
});

test.run();
