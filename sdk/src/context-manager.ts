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

/** Upstream's private method this replaces (see the type declarations of context-async-hooks 3.0.0). */
interface Internals {
  _bindFunction(context: Context, target: Target): Target;
}

export class LeanContextManager extends AsyncLocalStorageContextManager {
  constructor() {
    super();
    const upstream = (AsyncLocalStorageContextManager.prototype as unknown as Internals)._bindFunction;
    // An own property shadows the prototype's method, which bind() and the event-emitter patches call.
    (this as unknown as Internals)._bindFunction = (context, target) => {
      const make = MAKERS[target.length];
      return make === undefined ? upstream.call(this, context, target) : make(this, context, target);
    };
  }
}
