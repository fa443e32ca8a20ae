// The upstream AsyncLocalStorage context manager, with a cheaper way to bind a function to a
// context. Instrumentations bind functions all the time: Express binds every layer it runs and
// the callback it passes on, and every listener added to a request or response bound to its
// context (Node itself adds one to each request it finishes) is bound too. Upstream makes each
// wrapper with rest parameters and then redefines its `length` to the target's, and redefining a
// function's `length` is one of the slowest things V8 does to a fresh closure (it leaves the fast
// path for function objects). Here the wrapper is made with the target's arity declared, which
// gives the same `length` property (same value, not writable, not enumerable, configurable) and
// the same name, `this`, arguments and context, without redefining anything. Targets with more
// parameters than the prepared arities take the upstream path.
//
// Binding an emitter is cheaper too, for the two emitters every traced HTTP request binds: its
// request and its response. Upstream gives each bound emitter eight closures of its own, stored as
// own properties over its on/once/prepend*/remove* methods, and an object recording its
// listeners by event. Here IncomingMessage.prototype and ServerResponse.prototype get those eight
// methods once, and binding a request or response stores one small record on it: the methods
// look it up and do what upstream's closures do (wrap each listener added, find the wrapper of a
// listener removed), and go straight to Node's methods on anything not bound. Listeners run in
// the same contexts and the same registrations are left (test/context-manager.test.ts runs the
// same script through both); what differs is that the request and response get no enumerable
// own properties. An emitter that is not one of those two, or whose methods are not the
// prototype's (a subclass or an instance that defines its own), is bound the upstream way.
import type { EventEmitter } from "node:events";
import type { Context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

type Target = (...args: unknown[]) => unknown;
type Maker = (manager: AsyncLocalStorageContextManager, context: Context, target: Target) => Target;

// One maker per arity, each returning a `contextWrapper` with that many declared parameters (as
// upstream's is named). `arguments`, not a rest parameter, so the target sees exactly the
// arguments given (a rest parameter would not change that, but declared ones must not add any).
// biome-ignore-start lint/complexity/noArguments: the wrappers forward exactly what they were called with
const MAKERS: Maker[] = [
  (m, c, t) =>
    function contextWrapper(this: unknown) {
      const args = arguments;
      return m.with(c, () => t.apply(this, args as unknown as unknown[]));
    },
  (m, c, t) =>
    function contextWrapper(this: unknown, _a: unknown) {
      const args = arguments;
      return m.with(c, () => t.apply(this, args as unknown as unknown[]));
    },
  (m, c, t) =>
    function contextWrapper(this: unknown, _a: unknown, _b: unknown) {
      const args = arguments;
      return m.with(c, () => t.apply(this, args as unknown as unknown[]));
    },
  (m, c, t) =>
    function contextWrapper(this: unknown, _a: unknown, _b: unknown, _c: unknown) {
      const args = arguments;
      return m.with(c, () => t.apply(this, args as unknown as unknown[]));
    },
  (m, c, t) =>
    function contextWrapper(this: unknown, _a: unknown, _b: unknown, _c: unknown, _d: unknown) {
      const args = arguments;
      return m.with(c, () => t.apply(this, args as unknown as unknown[]));
    },
];
// biome-ignore-end lint/complexity/noArguments: the wrappers forward exactly what they were called with

/** Upstream's private members this uses or replaces (see the type declarations of context-async-hooks 3.0.0). */
interface Internals {
  _bindFunction(context: Context, target: Target): Target;
  _bindEventEmitter<T extends EventEmitter>(context: Context, ee: T): T;
  /** Set while an added listener is passed on, so that `once` (which calls `on`) wraps it once. */
  _wrapped: boolean;
}

type Listener = (...args: unknown[]) => unknown;
type Method = (this: EventEmitter, ...args: unknown[]) => unknown;
type Class = abstract new (...args: never[]) => unknown;

/** What a bound request or response carries: upstream's closures capture the same. */
interface Binding {
  manager: AsyncLocalStorageContextManager;
  context: Context;
  /** Each added listener's wrapper, by event (upstream keeps a WeakMap per event, never pruned). */
  listeners: Map<string | symbol, Map<Listener, Listener>> | undefined;
}
const BINDING = Symbol("@greenlang/tracing context binding");
type Bindable = EventEmitter & { [BINDING]?: Binding };

const ADD_METHODS = ["addListener", "on", "once", "prependListener", "prependOnceListener"] as const;
const REMOVE_METHODS = ["removeListener", "off"] as const;
const METHODS = [...ADD_METHODS, ...REMOVE_METHODS, "removeAllListeners"] as const;
type MethodName = (typeof METHODS)[number];

/** Node's clearIncoming, once seen. */
let clearIncoming: unknown;

/**
 * Whether `listener` is the one Node's HTTP server adds to the "end" of every request still
 * unread when its response finishes (clearIncoming in node:_http_server, which detaches the
 * request from its connection's parser). It reads no context and calls nothing that could, so it
 * is added as it is: bound like any other listener, it cost a wrapper, two maps and a context
 * switch per request. It is recognised by name and source the first time and by identity after.
 */
function isClearIncoming(event: unknown, listener: unknown): boolean {
  if (event !== "end" || typeof listener !== "function") return false;
  if (clearIncoming !== undefined) return listener === clearIncoming;
  if (listener.name !== "clearIncoming" || !Function.prototype.toString.call(listener).includes("parser.incoming"))
    return false;
  clearIncoming = listener;
  return true;
}

/** The methods installed on one prototype, each calling the method it shadows. */
function bindingMethods(prototype: Record<MethodName, Method>): Record<MethodName, Method> {
  const methods = {} as Record<MethodName, Method>;
  for (const name of ADD_METHODS) {
    const original = prototype[name];
    methods[name] = function (this: Bindable, event: unknown, listener: unknown) {
      const binding = this[BINDING];
      if (binding === undefined) return original.call(this, event, listener);
      const internals = binding.manager as unknown as Internals;
      if (internals._wrapped || isClearIncoming(event, listener)) return original.call(this, event, listener);
      binding.listeners ??= new Map();
      let wrappers = binding.listeners.get(event as string | symbol);
      if (wrappers === undefined) {
        wrappers = new Map();
        binding.listeners.set(event as string | symbol, wrappers);
      }
      const wrapper = binding.manager.bind(binding.context, listener) as Listener;
      wrappers.set(listener as Listener, wrapper);
      internals._wrapped = true;
      try {
        return original.call(this, event, wrapper);
      } finally {
        internals._wrapped = false;
      }
    } as Method;
  }
  for (const name of REMOVE_METHODS) {
    const original = prototype[name];
    methods[name] = function (this: Bindable, event: unknown, listener: unknown) {
      const wrappers = this[BINDING]?.listeners?.get(event as string | symbol);
      if (wrappers === undefined) return original.call(this, event, listener);
      return original.call(this, event, wrappers.get(listener as Listener) || listener);
    } as Method;
  }
  const removeAll = prototype.removeAllListeners;
  methods.removeAllListeners = function (this: Bindable, ...args: unknown[]) {
    const binding = this[BINDING];
    if (binding?.listeners !== undefined) {
      // No event and an undefined event differ, as upstream tells them apart.
      if (args.length === 0) binding.listeners = undefined;
      else binding.listeners.delete(args[0] as string | symbol);
    }
    return removeAll.apply(this, args);
  } as Method;
  return methods;
}

/** The methods on IncomingMessage.prototype and ServerResponse.prototype, installed the first time any emitter is bound. */
let httpBinding:
  | { classes: [Class, Class]; methods: [Record<MethodName, Method>, Record<MethodName, Method>] }
  | undefined;

function installHttpBinding(): NonNullable<typeof httpBinding> {
  if (httpBinding !== undefined) return httpBinding;
  // Through getBuiltinModule, at the first binding rather than when this module loads: a process
  // that never binds an emitter neither loads node:http for it nor has its prototypes changed.
  const http = process.getBuiltinModule("node:http");
  const classes: [Class, Class] = [http.IncomingMessage, http.ServerResponse];
  const methods = classes.map((cls) => {
    const prototype = cls.prototype as Record<MethodName, Method>;
    const installed = bindingMethods(prototype);
    for (const name of METHODS)
      Object.defineProperty(prototype, name, {
        value: installed[name],
        writable: true,
        configurable: true,
        enumerable: false,
      });
    return installed;
  }) as [Record<MethodName, Method>, Record<MethodName, Method>];
  httpBinding = { classes, methods };
  return httpBinding;
}

/** The installed methods when `ee` is a request or response that uses them all, else undefined. */
function httpMethodsOf(ee: EventEmitter): Record<MethodName, Method> | undefined {
  const { classes, methods } = installHttpBinding();
  const installed = ee instanceof classes[0] ? methods[0] : ee instanceof classes[1] ? methods[1] : undefined;
  if (installed === undefined) return undefined;
  // Every name of METHODS, spelled out: this runs for two bindings per request, and checking
  // them with METHODS.every and a closure took as much CPU in the Express route's profile as
  // the rest of the binding (test/context-manager.test.ts overrides each name in turn).
  const own = ee as unknown as Record<MethodName, Method>;
  return own.addListener === installed.addListener &&
    own.on === installed.on &&
    own.once === installed.once &&
    own.prependListener === installed.prependListener &&
    own.prependOnceListener === installed.prependOnceListener &&
    own.removeListener === installed.removeListener &&
    own.off === installed.off &&
    own.removeAllListeners === installed.removeAllListeners
    ? installed
    : undefined;
}

export class LeanContextManager extends AsyncLocalStorageContextManager {
  constructor() {
    super();
    const upstream = AsyncLocalStorageContextManager.prototype as unknown as Internals;
    const self = this as unknown as Internals;
    // Own properties shadow the prototype's methods, which bind() and the event-emitter patches call.
    self._bindFunction = (context, target) => {
      const make = MAKERS[target.length];
      return make === undefined ? upstream._bindFunction.call(this, context, target) : make(this, context, target);
    };
    self._bindEventEmitter = <T extends EventEmitter>(context: Context, ee: T): T => {
      const bindable = ee as Bindable;
      // The first binding wins, as upstream's.
      if (bindable[BINDING] !== undefined) return ee;
      if (httpMethodsOf(ee) === undefined) return upstream._bindEventEmitter.call(this, context, ee) as T;
      bindable[BINDING] = { manager: this, context, listeners: undefined };
      return ee;
    };
  }
}
