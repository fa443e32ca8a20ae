// The distribution's Express instrumentation (LeanExpressInstrumentation: a cheaper way to run
// each layer) makes the same spans as upstream @opentelemetry/instrumentation-express:
// fixtures/express-matrix.ts serves the same application (routers nested and mounted at /,
// a sub-application, middleware that answers or passes, next('route'), next('router'), next(error),
// a throwing handler, a rejecting one, an aborted request, arrays, regular expressions and
// wildcards as paths, one router mounted at two paths) through each, on Express 5 and Express 4, in three configurations (the
// distribution's, upstream's default with a span per layer, and one with every hook and ignore
// pattern, some of them throwing), and every case's spans are compared one by one: names,
// kinds, status, attributes, events and parent links (timings and ids aside).
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { NormalSpan } from "./fixtures/spans.ts";

const MATRIX = join(import.meta.dirname, "fixtures", "express-matrix.ts");
type Spans = Record<string, NormalSpan[]>;
const execFileAsync = promisify(execFile);

async function run(side: "ours" | "upstream", version: "5" | "4", config: string): Promise<Spans> {
  const { stdout } = await execFileAsync(process.execPath, [MATRIX, side, version, config], {
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(`${side} Express ${version} ${config}: ${error.message}\n${error.stderr?.slice(-3000) ?? ""}`);
  });
  return (JSON.parse(stdout.trim().split("\n").pop() as string) as { spans: Spans }).spans;
}

const VERSIONS = ["5", "4"] as const;
const CONFIGS = ["distribution", "default", "hooks"] as const;
// Two at a time: each is a short-lived process of its own.
const results = new Map<string, { ours: Spans; upstream: Spans }>();
for (const version of VERSIONS)
  for (const config of CONFIGS) {
    const [ours, upstream] = await Promise.all([run("ours", version, config), run("upstream", version, config)]);
    results.set(`Express ${version}, ${config}`, { ours, upstream });
  }

for (const [label, { ours, upstream }] of results) {
  test(`${label}: the same cases ran on both sides`, () => {
    assert.equal(Object.keys(ours), Object.keys(upstream));
    assert.ok(Object.keys(ours).length >= 27, `${Object.keys(ours).length} cases`);
  });
  for (const name of Object.keys(upstream))
    test(`${label}: same spans: ${name}`, () => {
      assert.equal(ours[name], upstream[name]);
    });
}

const spansOf = (label: string, name: string) => results.get(label)?.upstream[name] ?? [];
const express = (spans: NormalSpan[]) => spans.filter((s) => s.scope === "@opentelemetry/instrumentation-express");

test("the matrix exercises what it claims: routes, routers, middleware, errors, hooks", () => {
  for (const version of VERSIONS) {
    const distribution = `Express ${version}, distribution`;
    const server = spansOf(distribution, "nested routers").find((s) => s.kind === 1);
    assert.is(server?.name, "GET /api/v1/items/:itemId", `${version}: the route names the server span`);
    assert.ok(
      express(spansOf(distribution, "nested routers")).some((s) => s.name === "router - /v1"),
      `${version}: router spans`,
    );
    assert.equal(
      express(spansOf(distribution, "JSON body through middleware")).filter(
        (s) => s.attributes["express.type"] === "middleware",
      ),
      [],
      `${version}: the distribution makes no middleware spans`,
    );
    const failed = express(spansOf(distribution, "next(error) to the error handler")).find((s) => s.status.code === 2);
    assert.ok(
      failed?.events.some((e) => e.name === "exception"),
      `${version}: an error span with its exception`,
    );
    assert.ok(
      express(spansOf(`Express ${version}, default`, "JSON body through middleware")).some(
        (s) => s.name === "middleware - jsonParser",
      ),
      `${version}: upstream's default makes middleware spans`,
    );
    const hooked = express(spansOf(`Express ${version}, hooks`, "route with a parameter"));
    assert.ok(
      hooked.some(
        (s) =>
          s.name.startsWith("GET request handler") && s.attributes["test.hook"] === "request_handler /users/:id GET",
      ),
      `${version}: the hooks ran: ${JSON.stringify(hooked.map((s) => s.name))}`,
    );
    assert.not.ok(
      express(spansOf(`Express ${version}, hooks`, "JSON body through middleware")).some(
        (s) => s.name === "middleware - jsonParser",
      ),
      `${version}: an ignored layer`,
    );
    assert.ok(
      express(spansOf(distribution, "router mounted at two paths, the second")).some(
        (s) => s.name.startsWith("request handler") && s.attributes["http.route"] === "/two/items/:id",
      ),
      `${version}: one layer under two routes names each`,
    );
    const aborted = spansOf(distribution, "aborted before the handler answers");
    assert.ok(
      express(aborted).some((s) => s.name.startsWith("request handler")),
      `${version}: the span of a handler that never answered ends with the response`,
    );
  }
  assert.ok(spansOf("Express 5, distribution", "asynchronous handler rejects").length > 0, "Express 5's rejections");
});

test("the comparison notices a difference", () => {
  const { ours, upstream } = results.get("Express 5, distribution") as { ours: Spans; upstream: Spans };
  const altered = structuredClone(ours);
  const span = express(altered["route with a parameter"] ?? [])[0];
  assert.ok(span, "an Express span in the route case");
  span.parent = "none";
  assert.not.equal(altered["route with a parameter"], upstream["route with a parameter"]);
});

test.run();
