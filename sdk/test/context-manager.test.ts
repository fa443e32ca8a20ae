// LeanContextManager binds functions as upstream's AsyncLocalStorageContextManager does, without
// redefining `length`: same name, length and its descriptor, `this`, arguments, return value,
// thrown error and active context, for every arity (the prepared ones and the fallback beyond).
// Listeners of a bound emitter are bound with those wrappers: the same script of adding,
// emitting and removing listeners in every way runs against an emitter bound by each manager,
// and what each listener saw and what is left registered must agree. The script runs on a plain
// emitter and on HTTP requests and responses, which LeanContextManager binds through methods on
// their prototypes (no own properties) unless an instance has methods of its own.

import { EventEmitter } from "node:events";
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
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

// The names of the methods upstream's binding gives each emitter as own properties.
const BOUND_METHODS = [
  "addListener",
  "on",
  "once",
  "prependListener",
  "prependOnceListener",
  "removeListener",
  "off",
  "removeAllListeners",
];

class CustomRequest extends IncomingMessage {}
const EMITTERS: Record<string, () => EventEmitter> = {
  "a plain emitter": () => new (class Custom extends EventEmitter {})(),
  "an HTTP request": () => new IncomingMessage(new Socket()),
  "an HTTP response": () => new ServerResponse(new IncomingMessage(new Socket())),
  "a subclass of the HTTP request": () => new CustomRequest(new Socket()),
};

/**
 * Runs every way of adding, emitting and removing listeners against an emitter `manager` binds;
 * with `ownOn`, the emitter has an `on` of its own, set before binding. Returns what happened,
 * and the emitter's own enumerable keys at the end.
 */
function emitterScript(
  manager: AsyncLocalStorageContextManager,
  make: () => EventEmitter,
  ownOn: boolean,
): { log: unknown[]; keys: string[] } {
  active = manager;
  const log: unknown[] = [];
  const other = ROOT_CONTEXT.setValue(KEY, "other");
  const ee = make();
  const before = (v: unknown) => log.push(["added before binding", v, current()]);
  ee.on("x", before);
  // An emitter with its own `on`: binding keeps it as the original it calls.
  if (ownOn) {
    const inherited = ee.on;
    (ee as unknown as { on: unknown }).on = function (this: EventEmitter, event: string, fn: Fn) {
      log.push(["own on", event]);
      return inherited.call(this, event, fn);
    };
  }
  const result = manager.bind(bound, ee);
  log.push(["bind returns the emitter", result === ee]);
  // The first binding wins.
  manager.bind(other, ee);
  const a = (v: unknown) => log.push(["a", v, current()]);
  const b = (v: unknown) => log.push(["b", v, current()]);
  const c = (v: unknown) => log.push(["c", v, current()]);
  log.push(["on returns the emitter", ee.on("x", a) === ee]);
  ee.addListener("x", b);
  ee.prependListener("x", c);
  ee.once("x", (v: unknown) => log.push(["once", v, current()]));
  ee.prependOnceListener("x", (v: unknown) => log.push(["prepend once", v, current()]));
  ee.on("y", a);
  log.push(["listeners", ee.listenerCount("x"), ee.listeners("x").map((l) => [l.name, l.length])]);
  manager.with(other, () => ee.emit("x", 1));
  ee.emit("x", 2);
  ee.removeListener("x", a);
  ee.off("x", b);
  ee.emit("x", 3);
  // A once-listener removed before it fires, through the listener given.
  const never = () => log.push(["never"]);
  ee.once("x", never);
  ee.removeListener("x", never);
  ee.emit("x", 4);
  ee.removeAllListeners("x");
  log.push(["after removeAllListeners(x)", ee.listenerCount("x"), ee.listenerCount("y")]);
  ee.emit("y", 5);
  ee.removeAllListeners();
  log.push(["after removeAllListeners()", ee.listenerCount("y")]);
  ee.on("z", a);
  ee.emit("z", 6);
  ee.removeListener("z", a);
  log.push(["after re-adding and removing", ee.listenerCount("z")]);
  // Removing what was never added, and an event never bound.
  ee.removeListener("nothing", a);
  // Not bound by this manager: a listener added to another emitter of the same class runs as is.
  const unbound = make();
  unbound.on("x", (v: unknown) => log.push(["unbound", v, current()]));
  manager.with(other, () => unbound.emit("x", 7));
  return { log, keys: Object.keys(ee).sort() };
}

for (const [name, make] of Object.entries(EMITTERS))
  for (const ownOn of [true, false])
    test(`a bound emitter's listeners see the same contexts and leave the same registrations: ${name}${ownOn ? ", with an own on" : ""}`, () => {
      const ours = emitterScript(lean, make, ownOn);
      const theirs = emitterScript(upstream, make, ownOn);
      assert.equal(ours.log, theirs.log);
      // The script sees what it is about: contexts, the first binding, removals, unbound emitters.
      const text = JSON.stringify(theirs.log);
      assert.ok(text.includes('["a",1,"bound"]'), text);
      assert.ok(text.includes('["added before binding",1,"other"]'));
      assert.ok(text.includes('["after removeAllListeners(x)",0,1]'));
      assert.ok(text.includes('["unbound",7,"other"]'));
      // Upstream leaves its methods as own properties of the emitter; the prototype binding of
      // requests and responses leaves none, and nothing else differs.
      const http = name !== "a plain emitter" && !ownOn;
      assert.equal(ours.keys, http ? theirs.keys.filter((key) => !BOUND_METHODS.includes(key)) : theirs.keys);
      if (http)
        assert.ok(
          BOUND_METHODS.every((method) => theirs.keys.includes(method)),
          theirs.keys.join(),
        );
    });

test("a request or response with any one of the methods of its own is bound the upstream way", () => {
  active = lean;
  const makers = [() => new IncomingMessage(new Socket()), () => new ServerResponse(new IncomingMessage(new Socket()))];
  for (const make of makers)
    for (const method of BOUND_METHODS) {
      const ee = make() as unknown as Record<string, unknown>;
      const inherited = ee[method] as Fn;
      ee[method] = function (this: unknown, ...args: unknown[]) {
        return inherited.apply(this, args);
      };
      lean.bind(bound, ee as unknown as EventEmitter);
      // Upstream's binding leaves its closures as own properties; the prototype binding none.
      const own = BOUND_METHODS.filter((name) => Object.hasOwn(ee, name) && ee[name] !== inherited);
      assert.equal(own, BOUND_METHODS, `${(ee.constructor as Fn).name} with its own ${method}`);
    }
  // And without one, the prototype's methods do the binding.
  const plain = lean.bind(bound, new IncomingMessage(new Socket()));
  assert.equal(
    BOUND_METHODS.filter((name) => Object.hasOwn(plain, name)),
    [],
  );
});

test("Node's own end-of-request listener is left unbound; the application's are bound", async () => {
  active = lean;
  const seen: unknown[] = [];
  const isNodes = (l: Fn) =>
    l.name === "clearIncoming" && Function.prototype.toString.call(l).includes("parser.incoming");
  let ended: () => void = () => {};
  const requestEnded = new Promise<void>((resolve) => {
    ended = resolve;
  });
  const server = createServer((req, res) => {
    lean.bind(bound, req);
    lean.bind(bound, res);
    // An application listener named like Node's, without its source, is bound as any other.
    req.on("end", function clearIncoming() {
      seen.push(["application end", current()]);
      ended();
    });
    // Node adds its listener as the response finishes, before "close" (a request body it has not
    // read by then keeps the request from ending first).
    res.on("close", () => {
      const registered = req.rawListeners("end") as Fn[];
      seen.push(["registered", registered.map((l) => (isNodes(l) ? "node's, unwrapped" : l.name))]);
    });
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  try {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: "POST",
      body: "x".repeat(100_000),
      signal: AbortSignal.timeout(10_000),
    });
    await response.text();
    // The request ends once Node has drained the body it did not read: the last thing to see.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      requestEnded,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("the request never ended")), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(seen, [
    ["registered", ["contextWrapper", "node's, unwrapped"]],
    ["application end", "bound"],
  ]);
});

test("two emitters bound to different contexts keep their own", () => {
  active = lean;
  const first = lean.bind(bound, new EventEmitter());
  const second = lean.bind(ROOT_CONTEXT.setValue(KEY, "second"), new EventEmitter());
  const seen: unknown[] = [];
  first.on("x", () => seen.push(["first", current()]));
  second.on("x", () => seen.push(["second", current()]));
  second.emit("x");
  first.emit("x");
  assert.equal(seen, [
    ["second", "second"],
    ["first", "bound"],
  ]);
});

test.run();
