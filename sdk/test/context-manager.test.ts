// LeanContextManager binds functions as upstream's AsyncLocalStorageContextManager does, without
// redefining `length`: same name, length and its descriptor, `this`, arguments, return value,
// thrown error and active context, for every arity (the prepared ones and the fallback beyond).

import { EventEmitter } from "node:events";
import { createContextKey, ROOT_CONTEXT } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LeanContextManager } from "../src/context-manager.ts";

const KEY = createContextKey("test key");
const bound = ROOT_CONTEXT.setValue(KEY, "bound");

type Fn = (...args: unknown[]) => unknown;
// Targets of arity 0 to 6, each reporting what it saw: the arguments exactly as given.
// biome-ignore-start lint/complexity/noArguments: the count of arguments is what is compared
const targets: Fn[] = [
  function (this: unknown) {
    return [this, [...arguments], current()];
  },
  function (this: unknown, _a) {
    return [this, [...arguments], current()];
  },
  function (this: unknown, _a, _b) {
    return [this, [...arguments], current()];
  },
  function (this: unknown, _a, _b, _c) {
    return [this, [...arguments], current()];
  },
  function (this: unknown, _a, _b, _c, _d) {
    return [this, [...arguments], current()];
  },
  function (this: unknown, _a, _b, _c, _d, _e) {
    return [this, [...arguments], current()];
  },
  (_a: unknown, _b: unknown, _c: unknown, _d: unknown, _e: unknown, _f: unknown, ...rest: unknown[]) => rest,
] as Fn[];
// biome-ignore-end lint/complexity/noArguments: the count of arguments is what is compared

const lean = new LeanContextManager().enable();
const upstream = new AsyncLocalStorageContextManager().enable();
let active: AsyncLocalStorageContextManager = lean;
const current = () => active.active().getValue(KEY);

function describe(manager: AsyncLocalStorageContextManager, target: Fn) {
  active = manager;
  const wrapper = manager.bind(bound, target) as Fn;
  const self = { me: true };
  return {
    name: wrapper.name,
    length: wrapper.length,
    descriptor: Object.getOwnPropertyDescriptor(wrapper, "length"),
    calls: [wrapper.call(self), wrapper.call(self, 1), wrapper.call(self, 1, 2, 3, 4, 5, 6, 7, 8)],
    outside: current(),
  };
}

test("a bound function looks and behaves the same for every arity", () => {
  targets.forEach((target, arity) => {
    const ours = describe(lean, target);
    const theirs = describe(upstream, target);
    assert.equal(ours, theirs, `arity ${arity}`);
    assert.is(ours.length, target.length);
    assert.is(ours.outside, undefined, "the context is only active inside the call");
  });
  // The comparison sees the context: a wrapper not entering it would differ.
  const target = targets[1] as Fn;
  assert.equal((describe(lean, target).calls[0] as unknown[])[2], "bound");
});

test("a bound function throws what its target throws, and the context is left", () => {
  for (const manager of [lean, upstream]) {
    active = manager;
    const boom = new Error("boom");
    const wrapper = manager.bind(bound, (_x: unknown) => {
      throw boom;
    }) as Fn;
    assert.throws(
      () => wrapper(1),
      (e: unknown) => e === boom,
    );
    assert.is(current(), undefined);
  }
});

test("listeners of a bound emitter run in its context and can be removed, once or not", () => {
  active = lean;
  const emitter = lean.bind(bound, new EventEmitter());
  const seen: unknown[] = [];
  const listener = (value: unknown) => seen.push([value, current()]);
  emitter.on("x", listener);
  emitter.once("x", (value: unknown) => seen.push(["once", value, current()]));
  emitter.emit("x", 1);
  emitter.removeListener("x", listener);
  emitter.emit("x", 2);
  assert.equal(seen, [
    [1, "bound"],
    ["once", 1, "bound"],
  ]);
  assert.is(emitter.listenerCount("x"), 0);
});

test.run();
