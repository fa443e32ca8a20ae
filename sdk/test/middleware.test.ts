// Middleware for Express, Fastify and bare node:http, on real servers on 127.0.0.1 with the http
// instrumentation active: route-pattern span names, the trace returned in a response header, the
// request id kept or created, identity from the hook on the span and in baggage for child spans,
// and health checks not traced at all.
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { SpanStatusCode, trace } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { expressTracing, fastifyTracing, httpTracing } from "../src/middleware.ts";
import { spansAfter as spansAfterIn, startInMemoryTracing } from "./support.ts";

// The response header comes from the tracing settings unless a middleware names one itself.
const tracing = startInMemoryTracing({
  instrumentations: ["http", "express", "fastify"],
  responseHeader: "x-trace-id",
});
// Loaded after tracing started, through require, so the instrumentations' require hooks patch them.
const require = createRequire(import.meta.url);
const http = require("node:http") as typeof import("node:http");
const express = require("express") as typeof import("express");
const Fastify = require("fastify") as typeof import("fastify").default;

const identify = (req: import("node:http").IncomingMessage) => ({
  user: req.headers["x-user"] as string | undefined,
  tenant: req.headers["x-tenant"] as string | undefined,
});

/** Work the handler does inside the request: a child span that must inherit the baggage. */
function childWork(): void {
  trace.getTracer("app").startActiveSpan("load user", (span) => span.end());
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const spansAfter = (expected: number) => spansAfterIn(tracing, expected);

function checkRequest(spans: ReadableSpan[], response: Response, route: string) {
  const server = spans.find((s) => s.name === `GET ${route}`);
  assert.ok(server, `no server span named "GET ${route}" in ${JSON.stringify(spans.map((s) => s.name))}`);
  assert.is(server?.attributes["http.route"], route);
  const ctx = server?.spanContext();
  assert.is(response.headers.get("x-trace-id"), ctx?.traceId);
  assert.is(response.headers.get("traceparent"), null);
  assert.is(server?.attributes["tenant.id"], "acme");
  assert.is(server?.attributes["enduser.id"], "u-7");
  const child = spans.find((s) => s.name === "load user");
  // Express adds its own request-handler span in between, so check the trace, not the parent.
  assert.is(child?.spanContext().traceId, ctx?.traceId);
  assert.is(child?.attributes["tenant.id"], "acme", "baggage set by the middleware reached the child span");
  return server;
}

const headers = { "x-user": "u-7", "x-tenant": "acme", "x-request-id": "req-123" };

const frameworks = suite("middleware");

frameworks("express: route name, headers, identity, request id", async () => {
  const app = express();
  app.use(expressTracing({ identify }));
  app.get("/users/:id", (_req, res) => {
    childWork();
    res.json({ ok: true });
  });
  app.get("/healthz", (_req, res) => {
    res.send("ok");
  });
  const server = http.createServer(app);
  const base = await listen(server);
  try {
    const response = await fetch(`${base}/users/42`, { headers });
    assert.is(response.status, 200);
    assert.is(response.headers.get("x-request-id"), "req-123");
    const server = checkRequest(await spansAfter(2), response, "/users/:id");
    assert.is(server?.attributes["http.request.id"], "req-123");
    // A health check, then a normal request: once the latter's spans are in, the former would be too.
    await (await fetch(`${base}/healthz`)).text();
    await (await fetch(`${base}/users/1`)).text();
    const later = await spansAfter(2);
    assert.ok(later.some((s) => s.attributes["url.path"] === "/users/1"));
    assert.not.ok(
      later.some((s) => s.attributes["url.path"] === "/healthz"),
      "health checks are not traced",
    );
  } finally {
    server.close();
  }
});

frameworks("fastify: route name from the route pattern, generated request id", async () => {
  const app = Fastify();
  await app.register(fastifyTracing({ identify }));
  app.get("/orders/:orderId/items", async () => {
    childWork();
    return { ok: true };
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  try {
    const response = await fetch(`http://127.0.0.1:${port}/orders/9/items`, {
      headers: { "x-user": "u-7", "x-tenant": "acme" },
    });
    assert.is(response.status, 200);
    assert.match(response.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
    checkRequest(await spansAfter(2), response, "/orders/:orderId/items");
  } finally {
    await app.close();
  }
});

frameworks("fastify instrumentation alone (diagnostics channel): route names and handler errors", async () => {
  const app = Fastify();
  app.get("/plain/:id", async () => ({ ok: true }));
  app.get("/boom/:id", async () => {
    throw new Error("handler exploded");
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  try {
    assert.is((await fetch(`http://127.0.0.1:${port}/plain/1`)).status, 200);
    assert.is((await fetch(`http://127.0.0.1:${port}/boom/2`)).status, 500);
    const spans = await spansAfter(2);
    assert.equal(spans.map((s) => s.name).sort(), ["GET /boom/:id", "GET /plain/:id"]);
    const failed = spans.find((s) => s.name === "GET /boom/:id");
    assert.is(failed?.status.code, SpanStatusCode.ERROR);
    assert.is(
      failed?.events.find((e) => e.name === "exception")?.attributes?.["exception.message"],
      "handler exploded",
    );
  } finally {
    await app.close();
  }
});

frameworks("node:http: route from the resolver; a middleware's own header choice wins", async () => {
  const server = http.createServer(
    httpTracing(
      (_req, res) => {
        childWork();
        res.end("ok");
      },
      {
        identify,
        route: (req) => (req.url?.startsWith("/files/") ? "/files/:name" : undefined),
        responseHeader: "traceparent",
      },
    ),
  );
  const base = await listen(server);
  try {
    const response = await fetch(`${base}/files/report.pdf`, { headers });
    await response.text();
    const spans = await spansAfter(2);
    const span = spans.find((s) => s.name === "GET /files/:name");
    assert.ok(span, JSON.stringify(spans.map((s) => s.name)));
    const ctx = span?.spanContext();
    assert.is(response.headers.get("traceparent"), `00-${ctx?.traceId}-${ctx?.spanId}-01`);
    assert.is(response.headers.get("x-trace-id"), null);
  } finally {
    server.close();
  }
});

frameworks("the identify hook may throw: the request is served, no identity recorded", async () => {
  const server = http.createServer(
    httpTracing((_req, res) => res.end("ok"), {
      identify: () => {
        throw new Error("auth service down");
      },
    }),
  );
  const base = await listen(server);
  try {
    const response = await fetch(`${base}/x`);
    assert.is(await response.text(), "ok");
    const [span] = await spansAfter(1);
    assert.is(span?.attributes["enduser.id"], undefined);
  } finally {
    server.close();
  }
});

frameworks.after(() => tracing.handle.shutdown());
frameworks.run();
