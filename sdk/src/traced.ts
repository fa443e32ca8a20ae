// Spans around application functions. `traced(name, fn, options)` wraps a function; `@traced()`
// does the same for a class method (TC39 / TypeScript 5 standard decorators). Sync functions,
// promise-returning functions and (async) generators are all covered: the span stays open until
// the promise settles or the generator finishes. Exceptions are recorded and the status set to
// ERROR, but the wrapper never changes what the function returns or throws: the same value, the
// same promise object, the same error object reach the caller.
import { type Attributes, context, type Span, type SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SDK_NAME, SDK_VERSION } from "./version.ts";

export interface TracedOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** Instrumentation scope of the spans; default `@greenlang/tracing`. */
  tracerName?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: wrappers must accept any function signature.
type AnyFunction = (this: any, ...args: any[]) => any;

function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) {
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  } else {
    span.recordException(String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as PromiseLike<unknown>).then === "function";
}

function isGenerator(value: unknown): value is Generator {
  return Object.prototype.toString.call(value) === "[object Generator]";
}

function isAsyncGenerator(value: unknown): value is AsyncGenerator {
  return Object.prototype.toString.call(value) === "[object AsyncGenerator]";
}

/** Proxies a generator so each step runs inside the span and the span ends with the generator. */
function traceGenerator<T, R, N>(generator: Generator<T, R, N>, span: Span): Generator<T, R, N> {
  const active = trace.setSpan(context.active(), span);
  const step = (method: "next" | "throw" | "return", arg: unknown): IteratorResult<T, R> => {
    try {
      const result = context.with(active, () => (generator[method] as (a: unknown) => IteratorResult<T, R>)(arg));
      if (result.done) span.end();
      return result;
    } catch (error) {
      recordError(span, error);
      span.end();
      throw error;
    }
  };
  const proxy = {
    next: (arg: N) => step("next", arg),
    throw: (error: unknown) => step("throw", error),
    return: (value: R) => step("return", value),
    [Symbol.iterator]() {
      return proxy;
    },
  };
  Object.defineProperty(proxy, Symbol.toStringTag, { value: "Generator" });
  return proxy as unknown as Generator<T, R, N>;
}

function traceAsyncGenerator<T, R, N>(generator: AsyncGenerator<T, R, N>, span: Span): AsyncGenerator<T, R, N> {
  const active = trace.setSpan(context.active(), span);
  const step = async (method: "next" | "throw" | "return", arg: unknown): Promise<IteratorResult<T, R>> => {
    try {
      const result = await context.with(active, () =>
        (generator[method] as (a: unknown) => Promise<IteratorResult<T, R>>)(arg),
      );
      if (result.done) span.end();
      return result;
    } catch (error) {
      recordError(span, error);
      span.end();
      throw error;
    }
  };
  const proxy = {
    next: (arg: N) => step("next", arg),
    throw: (error: unknown) => step("throw", error),
    return: (value: R) => step("return", value),
    [Symbol.asyncIterator]() {
      return proxy;
    },
  };
  Object.defineProperty(proxy, Symbol.toStringTag, { value: "AsyncGenerator" });
  return proxy as unknown as AsyncGenerator<T, R, N>;
}

/** Runs `fn` inside a new active span named `name`; see the module comment for the guarantees. */
function runTraced<F extends AnyFunction>(
  name: string,
  fn: F,
  self: unknown,
  args: Parameters<F>,
  options: TracedOptions,
): ReturnType<F> {
  const tracer = trace.getTracer(options.tracerName ?? SDK_NAME, SDK_VERSION);
  const spanOptions = { kind: options.kind, attributes: options.attributes };
  return tracer.startActiveSpan<(span: Span) => ReturnType<F>>(name, spanOptions, (span) => {
    let result: ReturnType<F>;
    try {
      result = fn.apply(self, args);
    } catch (error) {
      recordError(span, error);
      span.end();
      throw error;
    }
    if (isGenerator(result)) return traceGenerator(result, span) as ReturnType<F>;
    if (isAsyncGenerator(result)) return traceAsyncGenerator(result, span) as ReturnType<F>;
    if (isPromiseLike(result)) {
      // Observe the promise without replacing it: the caller gets the very same object.
      result.then(
        () => span.end(),
        (error: unknown) => {
          recordError(span, error);
          span.end();
        },
      );
      return result;
    }
    span.end();
    return result;
  });
}

type MethodDecorator = <F extends AnyFunction>(method: F, context: ClassMethodDecoratorContext) => F;

/** Wraps `fn` so every call runs in a span named `name`. */
export function traced<F extends AnyFunction>(name: string, fn: F, options?: TracedOptions): F;
/** Method decorator: `@traced()` names the span `Class.method`; `@traced("name")` names it explicitly. */
export function traced(name?: string, options?: TracedOptions): MethodDecorator;
export function traced(
  name?: string,
  fnOrOptions?: AnyFunction | TracedOptions,
  maybeOptions?: TracedOptions,
): unknown {
  if (typeof fnOrOptions === "function") {
    const fn = fnOrOptions;
    const options = maybeOptions ?? {};
    const spanName = name ?? (fn.name || "anonymous");
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return runTraced(spanName, fn, this, args, options);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name });
    Object.defineProperty(wrapped, "length", { value: fn.length });
    return wrapped;
  }
  const options = fnOrOptions ?? {};
  return <F extends AnyFunction>(method: F, decoratorContext: ClassMethodDecoratorContext): F => {
    const methodName = String(decoratorContext.name);
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const owner =
        typeof this === "function"
          ? this.name
          : ((this as { constructor?: { name?: string } } | null)?.constructor?.name ?? "");
      const spanName = name ?? (owner ? `${owner}.${methodName}` : methodName);
      return runTraced(spanName, method, this, args as Parameters<F>, options);
    };
    Object.defineProperty(wrapped, "name", { value: method.name });
    return wrapped as F;
  };
}
