// Koa and GraphQL, instrumented by name (OTEL_NODE_ENABLED_INSTRUMENTATIONS=koa,graphql): a real
// Koa server with @koa/router on 127.0.0.1, and graphql-js executing in process.
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spansAfter as spansAfterIn, startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing({ instrumentations: ["http", "koa", "graphql"] });
// Loaded after tracing started, through require, so the instrumentations' require hooks patch them.
const require = createRequire(import.meta.url);
const Koa = require("koa") as typeof import("koa");
const { Router } = require("@koa/router") as typeof import("@koa/router");
const graphql = require("graphql") as typeof import("graphql");

const spansAfter = (expected: number) => spansAfterIn(tracing, expected);

const test = suite("koa and graphql");

test("koa: the router's route names the server span; middleware adds no span of its own", async () => {
  const app = new Koa();
  const router = new Router();
  app.use(async (_ctx, next) => next()); // middleware: must not become a span
  router.get("/orders/:id", (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  app.use(router.routes());
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/orders/42`);
    assert.equal(await response.json(), { id: "42" });
    const spans = await spansAfter(2);
    const serverSpan = spans.find((s) => s.attributes["http.route"] === "/orders/:id" && s.kind === 1);
    assert.ok(serverSpan, `no server span with http.route in ${JSON.stringify(spans.map((s) => s.name))}`);
    const koaSpans = spans.filter((s) => s.instrumentationScope.name.includes("koa"));
    assert.equal(
      koaSpans.map((s) => s.attributes["koa.type"]),
      ["router"],
      `koa spans: ${JSON.stringify(koaSpans.map((s) => s.name))}`,
    );
    assert.is(koaSpans[0]?.spanContext().traceId, serverSpan?.spanContext().traceId);
  } finally {
    server.close();
  }
});

test("graphql: one span per operation step, the operation named, no variable values", async () => {
  const schema = graphql.buildSchema("type Query { customer(email: String!): String }");
  const result = await graphql.graphql({
    schema,
    source: "query FindCustomer($email: String!) { customer(email: $email) }",
    variableValues: { email: "jane.doe@example.com" },
    rootValue: { customer: ({ email }: { email: string }) => `found ${email.length}` },
  });
  assert.equal(result.errors, undefined);
  const spans = await spansAfter(3);
  const names = spans.map((s) => s.name);
  for (const step of ["graphql.parse", "graphql.validate"]) assert.ok(names.includes(step), `${step} in ${names}`);
  const execute = spans.find((s) => s.attributes["graphql.operation.name"] === "FindCustomer");
  assert.ok(execute, `no execute span for FindCustomer in ${names}`);
  assert.is(execute?.attributes["graphql.operation.type"], "query");
  assert.not.match(JSON.stringify(spans.map((s) => s.attributes)), /jane\.doe@example\.com/);
});

test.after(() => tracing.handle.shutdown());
test.run();
