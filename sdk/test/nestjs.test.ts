// NestJS, instrumented by name (nestjs-core, with http and express as by default: Nest serves
// through Express, and it is the express instrumentation that hands the route to the server span;
// without it the span stays "GET"): a real Nest app on 127.0.0.1 in this process, and the spans
// the Nest instrumentation adds (app creation, the controller's request context, the handler)
// under the server span, which the route names.
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { spansAfter, startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing({ instrumentations: ["http", "express", "nestjs-core"] });
// Loaded after tracing started, through require, so the instrumentations' require hooks patch them.
const require = createRequire(import.meta.url);
const { Controller, Get, Module, NotFoundException, Param } =
  require("@nestjs/common") as typeof import("@nestjs/common");
const { NestFactory } = require("@nestjs/core") as typeof import("@nestjs/core");

// Decorators applied by hand, in the order TypeScript's would run (members, then the class):
// Node runs this file by stripping types, and decorator syntax is not erasable.
class OrdersController {
  get(id: string): { id: string } {
    if (id === "0") throw new NotFoundException("no order 0");
    return { id };
  }
}
const handler = OrdersController.prototype;
Get(":id")(handler, "get", Object.getOwnPropertyDescriptor(handler, "get") as PropertyDescriptor);
Param("id")(handler, "get", 0);
Controller("orders")(OrdersController);
class AppModule {}
Module({ controllers: [OrdersController] })(AppModule);

const test = suite("nestjs");
const state: { app?: Awaited<ReturnType<typeof NestFactory.create>>; base?: string; creation?: ReadableSpan[] } = {};
const names = (spans: readonly ReadableSpan[]) => JSON.stringify(spans.map((s) => s.name));

test.before(async () => {
  state.app = await NestFactory.create(AppModule, { logger: false });
  await state.app.listen(0, "127.0.0.1");
  const { port } = state.app.getHttpServer().address() as AddressInfo;
  state.base = `http://127.0.0.1:${port}`;
  state.creation = await tracing.takeSpans();
});

test.after(async () => {
  await state.app?.close();
});

test("creating the app is a span naming the root module", () => {
  const creation = state.creation?.find((s) => s.attributes["nestjs.type"] === "app_creation");
  assert.ok(creation, `no app creation span in ${names(state.creation ?? [])}`);
  assert.is(creation.name, "Create Nest App");
  assert.is(creation.attributes["nestjs.module"], "AppModule");
});

test("a request: the route names the server span; the controller and handler spans are its children", async () => {
  const response = await fetch(`${state.base}/orders/42`);
  assert.equal(await response.json(), { id: "42" });
  const spans = await spansAfter(tracing, 3);
  const server = spans.find((s) => s.kind === SpanKind.SERVER);
  const controller = spans.find((s) => s.attributes["nestjs.type"] === "request_context");
  const handlerSpan = spans.find((s) => s.attributes["nestjs.type"] === "handler");
  assert.ok(server, `no server span in ${names(spans)}`);
  assert.ok(controller, `no request context span in ${names(spans)}`);
  assert.ok(handlerSpan, `no handler span in ${names(spans)}`);
  assert.is(server.name, "GET /orders/:id");
  assert.is(server.attributes["http.route"], "/orders/:id");
  assert.is(controller.name, "OrdersController.get");
  assert.is(controller.attributes["http.route"], "/orders/:id");
  assert.is(controller.attributes["nestjs.controller"], "OrdersController");
  assert.is(handlerSpan.name, "get");
  assert.is(handlerSpan.parentSpanContext?.spanId, controller.spanContext().spanId);
  // Under the server span, through Express's route span when Express adds one.
  for (const span of [controller, handlerSpan]) assert.is(span.spanContext().traceId, server.spanContext().traceId);
  const chain = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  let parent = chain.get(controller.parentSpanContext?.spanId ?? "");
  while (parent && parent !== server) parent = chain.get(parent.parentSpanContext?.spanId ?? "");
  assert.ok(parent === server, "the controller span descends from the server span");
});

test("a handler's exception marks its span and the controller span as errors", async () => {
  const response = await fetch(`${state.base}/orders/0`);
  assert.is(response.status, 404);
  const spans = await spansAfter(tracing, 3);
  const server = spans.find((s) => s.kind === SpanKind.SERVER);
  assert.is(server?.name, "GET /orders/:id");
  assert.is(server?.attributes["http.response.status_code"], 404);
  for (const type of ["handler", "request_context"]) {
    const span = spans.find((s) => s.attributes["nestjs.type"] === type);
    assert.is(span?.status.code, SpanStatusCode.ERROR, type);
    assert.match(span?.status.message ?? "", /no order 0/, type);
  }
});

test.run();
