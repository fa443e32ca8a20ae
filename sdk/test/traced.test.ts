// traced() and @traced(): spans for sync, async, generator and async-generator functions; errors
// recorded with status ERROR; the same value, promise and error reach the caller; `this` and
// arguments pass through; nested calls become child spans. The decorator fixture uses syntax Node
// cannot strip, so it is compiled here with the TypeScript API.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { SpanStatusCode } from "@opentelemetry/api";
import ts from "typescript";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { traced } from "../src/traced.ts";
import { startInMemoryTracing } from "./support.ts";

const tracing = startInMemoryTracing();

test("sync: returns the value, one span, parameters and this pass through", async () => {
  const counter = {
    factor: 3,
    times: traced("times", function (this: { factor: number }, x: number) {
      return x * this.factor;
    }),
  };
  assert.is(counter.times(5), 15);
  assert.is(counter.times.length, 1);
  const spans = await tracing.takeSpans();
  assert.equal(
    spans.map((s) => s.name),
    ["times"],
  );
  assert.is(spans[0]?.status.code, SpanStatusCode.UNSET);
});

test("sync throw: the same error object is rethrown and recorded", async () => {
  const boom = new TypeError("bad input");
  const fail = traced("fail", () => {
    throw boom;
  });
  try {
    fail();
    assert.unreachable();
  } catch (error) {
    assert.is(error, boom);
  }
  const [span] = await tracing.takeSpans();
  assert.is(span?.status.code, SpanStatusCode.ERROR);
  assert.is(span?.status.message, "bad input");
  assert.is(span?.events[0]?.name, "exception");
  assert.is(span?.events[0]?.attributes?.["exception.type"], "TypeError");
});

test("async: the very same promise is returned, the span ends when it settles, nested calls are children", async () => {
  const inner = traced("inner", async () => 1);
  const outer = traced("outer", async () => (await inner()) + 1);
  const promise = outer();
  assert.instance(promise, Promise);
  assert.is(await promise, 2);
  const spans = await tracing.takeSpans();
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  assert.is(byName.inner?.parentSpanContext?.spanId, byName.outer?.spanContext().spanId);
  assert.is(byName.inner?.spanContext().traceId, byName.outer?.spanContext().traceId);

  const rejection = new Error("nope");
  const rejecting = traced("rejecting", async () => {
    throw rejection;
  });
  const p = rejecting();
  try {
    await p;
    assert.unreachable();
  } catch (error) {
    assert.is(error, rejection);
  }
  const [failed] = await tracing.takeSpans();
  assert.is(failed?.status.code, SpanStatusCode.ERROR);
});

test("generators: span covers the whole iteration, values unchanged; errors recorded", async () => {
  const numbers = traced("numbers", function* (n: number) {
    for (let i = 0; i < n; i++) yield i;
    return "done";
  });
  const it = numbers(3);
  assert.equal([...it], [0, 1, 2]);
  const [span] = await tracing.takeSpans();
  assert.is(span?.name, "numbers");

  const broken = traced("broken", function* () {
    yield 1;
    throw new RangeError("gen failed");
  });
  const g = broken();
  assert.equal(g.next(), { value: 1, done: false });
  assert.throws(() => g.next(), /gen failed/);
  const [failed] = await tracing.takeSpans();
  assert.is(failed?.status.code, SpanStatusCode.ERROR);

  const asyncNumbers = traced("asyncNumbers", async function* () {
    yield "a";
    yield "b";
  });
  const seen: string[] = [];
  for await (const v of asyncNumbers()) seen.push(v);
  assert.equal(seen, ["a", "b"]);
  const [asyncSpan] = await tracing.takeSpans();
  assert.is(asyncSpan?.name, "asyncNumbers");
});

test("@traced() method decorator (TypeScript 5 standard decorators, compiled here)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "gl-traced-"));
  try {
    const source = `
      import { traced } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, "..", "src", "traced.ts")).href)};
      export class Orders {
        prefix = "order-";
        @traced()
        async place(id: number): Promise<string> { return this.prefix + id; }
        @traced("orders.cancel")
        cancel(id: number): never { throw new Error("cannot cancel " + id); }
        @traced()
        static count(): number { return 7; }
      }
    `;
    const { outputText, diagnostics } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
      reportDiagnostics: true,
    });
    assert.is(diagnostics?.length ?? 0, 0);
    const file = join(dir, "orders.mjs");
    writeFileSync(file, outputText);
    const { Orders } = await import(pathToFileURL(file).href);
    const orders = new Orders();
    assert.is(await orders.place(12), "order-12");
    assert.throws(() => orders.cancel(3), /cannot cancel 3/);
    assert.is(Orders.count(), 7);
    const spans = await tracing.takeSpans();
    assert.equal(spans.map((s) => s.name).sort(), ["Orders.count", "Orders.place", "orders.cancel"]);
    assert.is(spans.find((s) => s.name === "orders.cancel")?.status.code, SpanStatusCode.ERROR);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.after(() => tracing.handle.shutdown());
test.run();
