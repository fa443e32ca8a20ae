// The upstream Express instrumentation with a cheaper way to run each layer and the same spans.
// Upstream wraps every layer's handler, and on each call copies its arguments into an array,
// filters and joins the layer paths twice with regular expressions, allocates the layer's
// metadata, binds the handler and the callback it passes on to a context (a fresh wrapper each,
// see context-manager.ts) and, unless the callback ran, adds a "close" listener to the response
// that the response's context binding wraps once more and records in two maps. Here the layer
// paths are scanned once without regular expressions for everyday paths, the handler and the
// callback run inside their context directly (and not at all when the context they would enter
// is the one already active), and the "close" listener, which only ends the span, goes straight
// onto the response; the request's list of layer paths goes under a symbol rather than into a
// property defined on every request, and each layer remembers its metadata per route. What is
// decided (route, span name, attributes, status, exception events, which layers are ignored, the
// hooks, when each span ends) follows upstream line by line.
//
// This replaces a private method of ExpressInstrumentation 0.72.0 (`_applyPatch`, which its
// patched Router.route/use and application.use call for each new layer), keeping its module
// definition and patches. test/express-conformance.int.test.ts runs a matrix of Express 5 and
// Express 4 applications through both, in several configurations, and compares every span, so an
// upgrade that changes upstream's behaviour fails there first.

import { EventEmitter } from "node:events";
import { type Attributes, type Context, context, diag, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";
import { safeExecuteInTheMiddle } from "@opentelemetry/instrumentation";
import { ExpressInstrumentation, type ExpressInstrumentationConfig } from "@opentelemetry/instrumentation-express";
import { ATTR_HTTP_ROUTE } from "@opentelemetry/semantic-conventions";

/**
 * Where the paths of the layers a request went through are kept. Upstream defines a
 * non-enumerable property for it on every request (its _LAYERS_STORE_PROPERTY,
 * "__ot_middlewares"); `Object.defineProperty` on a request is a slow path in V8, the largest
 * single cost of the wrapper on the bench's Express route (in-process CPU profile), where
 * assigning a symbol-keyed property, just as invisible to `for...in`, `Object.keys` and JSON,
 * costs a plain store.
 */
const LAYERS = Symbol("greenlang-express-layers");
const PATCHED = Symbol("greenlang-express-layer-patched");

type Handler = (this: unknown, ...args: unknown[]) => unknown;
/** What of an Express layer this reads (exported for tests). */
export interface Layer {
  name: string;
  path?: string;
  route?: { path?: string };
  handle: Handler & { stack?: Layer[] };
  [PATCHED]?: boolean;
}
interface Request {
  originalUrl: string;
  route?: unknown;
  res?: unknown;
  [LAYERS]?: string[];
}
export type LayerType = "router" | "request_handler" | "middleware";

/** Upstream's private method this replaces (see the type declarations of instrumentation-express 0.72.0). */
interface Internals {
  _applyPatch(layer: Layer, layerPath: string | undefined): void;
}

/** The paths upstream leaves out of a constructed route: "/", "/*" and Express 5's "/{*name}". */
function meaningless(path: string): boolean {
  return path === "/" || path === "/*" || (path.startsWith("/{") && /^\/\{[*][^}]*\}$/.test(path));
}

/** Upstream's getConstructedRoute: the meaningful layer paths joined, runs of slashes collapsed. */
function constructedRoute(store: readonly string[]): string {
  let joined = "";
  let count = 0;
  let last = "";
  for (const path of store) {
    if (meaningless(path)) continue;
    joined += path;
    count++;
    last = path;
  }
  if (count === 1 && last === "*") return "*";
  return joined.includes("//") ? joined.replace(/\/{2,}/g, "/") : joined;
}

/** Upstream's getActualMatchedRoute, given the constructed route it would compute again. */
function matchedRoute(req: Request, store: readonly string[], route: string): string | undefined {
  if (store.length === 0) return undefined;
  if (store.every((path) => path === "/")) return req.originalUrl === "/" ? "/" : undefined;
  if (route === "*") return route;
  if (
    route.includes("/") &&
    (route.includes(",") || route.includes("\\") || route.includes("*") || route.includes("["))
  )
    return route;
  const normalized = route.startsWith("/") ? route : `/${route}`;
  return normalized.length > 0 &&
    (req.originalUrl === normalized ||
      req.originalUrl.startsWith(normalized) ||
      normalized.includes(":") ||
      normalized.includes("*"))
    ? normalized
    : undefined;
}

function layerType(layer: Layer): LayerType {
  if (layer.name === "router") return "router";
  return layer.name === "bound dispatch" || layer.name === "handle" ? "request_handler" : "middleware";
}

/** Upstream's getRouterPath: the path of the first route found down a router's first layers. */
function routerPath(path: string, layer: Layer): string {
  const first = layer.handle?.stack?.[0];
  if (first?.route?.path) return `${path}${first.route.path}`;
  if (first?.handle?.stack) return routerPath(path, first);
  return path;
}

/** Upstream's getLayerMetadata: the span name and the express.name attribute of a layer. */
function layerMetadata(
  type: LayerType,
  route: string,
  layer: Layer,
  layerPath: string | undefined,
): { name: string; expressName: string } {
  if (type === "router") {
    const found = routerPath("", layer);
    const expressName = found ? found : layerPath || route || "/";
    return { name: `router - ${expressName}`, expressName };
  }
  if (type === "request_handler")
    return {
      name: `request handler${layer.path ? ` - ${route || layerPath}` : ""}`,
      expressName: (route || layerPath) ?? "request handler",
    };
  return { name: `middleware - ${layer.name}`, expressName: layer.name };
}

type Metadata = ReturnType<typeof layerMetadata>;

/**
 * One layer's last metadata, by what it was worked out from: a layer is called again and again
 * for the same route, and the span name made anew each time is one more string to build and, in
 * the span metrics and the encoder, to flatten. A router's metadata depends on the routes under
 * it, which can change, so it is worked out every time, as upstream does.
 */
export class MetadataCache {
  // The layer's type is worked out from its name (layerType), so the name keys both.
  #name = "";
  #route = "";
  #hasPath = false;
  #metadata: Metadata | undefined;

  of(type: LayerType, route: string, layer: Layer, layerPath: string | undefined): Metadata {
    if (type === "router") return layerMetadata(type, route, layer, layerPath);
    const hasPath = Boolean(layer.path);
    if (this.#metadata !== undefined && route === this.#route && hasPath === this.#hasPath && layer.name === this.#name)
      return this.#metadata;
    const metadata = layerMetadata(type, route, layer, layerPath);
    this.#name = layer.name;
    this.#route = route;
    this.#hasPath = hasPath;
    this.#metadata = metadata;
    return metadata;
  }
}

function matches(name: string, pattern: unknown): boolean {
  if (typeof pattern === "string") return pattern === name;
  if (pattern instanceof RegExp) return pattern.test(name);
  if (typeof pattern === "function") return Boolean(pattern(name));
  throw new TypeError("Pattern is in unsupported datatype");
}

/**
 * Upstream's isLayerIgnored: by type, then by the layer's span name against the patterns (a
 * pattern that throws, or of another type, ends the check: nothing further is ignored).
 */
function ignored(
  config: ExpressInstrumentationConfig,
  type: LayerType,
  route: string,
  layer: Layer,
  layerPath: string | undefined,
): boolean {
  if (Array.isArray(config.ignoreLayersType) && config.ignoreLayersType.includes(type as never)) return true;
  // Only with patterns is the name worked out.
  if (!Array.isArray(config.ignoreLayers)) return false;
  const layerName = layerMetadata(type, route, layer, layerPath).name;
  try {
    for (const pattern of config.ignoreLayers) if (matches(layerName, pattern)) return true;
  } catch {}
  return false;
}

/** Upstream's asErrorAndMessage, recorded: an Error as it is, anything else as its string. */
function recordError(span: Span, value: unknown): void {
  const message = value instanceof Error ? value.message : String(value);
  span.recordException(value instanceof Error ? value : message);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

// The span's "close" listener only ends the span, whatever context it runs in, so it goes on
// without the context binding the response carries (a plain emitter method; anything else that
// is not a Node emitter keeps its own).
function onClose(res: unknown, listener: () => void): void {
  if (res instanceof EventEmitter) EventEmitter.prototype.on.call(res, "close", listener);
  else (res as EventEmitter).once("close", listener);
}
function offClose(res: unknown, listener: () => void): void {
  if (res instanceof EventEmitter) EventEmitter.prototype.removeListener.call(res, "close", listener);
  else (res as EventEmitter | undefined)?.removeListener("close", listener);
}

type RequestHook = NonNullable<ExpressInstrumentationConfig["requestHook"]>;

/** Upstream's call of the request hook: a hook that throws is logged, not passed on. */
function runRequestHook(hook: RequestHook, span: Span, info: Parameters<RequestHook>[1]): void {
  safeExecuteInTheMiddle(
    () => hook(span, info),
    (e) => {
      if (e) diag.error("express instrumentation: request hook failed", e);
    },
    true,
  );
}

/** Runs `handler` as Express called it; passed to context.with instead of a closure over the call. */
function applyHandler(handler: Handler, self: unknown, args: IArguments): unknown {
  return handler.apply(self, args as unknown as unknown[]);
}

/**
 * One call of a layer's handler that made a span: what the callback passed on to Express and the
 * response's "close" listener share. The closures of a call are made here and in wrapCallback,
 * apart from the handler's own scope. Made inside the handler, where they captured its whole
 * scope, they measured costly on the bench's Express route: every request's objects outlived two
 * young-generation collections and were promoted, 3.4 MB per scavenge until the next full
 * collection, with scavenge pauses of 7.5 µs per request on loopback, against 2.5 µs with the
 * closures made here (`--trace-gc`, Node 24). Of the scavenge time tracing still adds, about two
 * thirds goes with the batch processor's queue (in-process over 120,000 requests: 325 ms, 164 with
 * OTEL_TRACES_EXPORTER=none, 81 uninstrumented). Most of the old promotion came through V8's
 * allocation-site pretenuring (with `--no-allocation-site-pretenuring` the old wrapper promoted
 * 0.87 MB per scavenge): some of the call's objects were allocated straight in the old
 * generation, where they keep the young objects they point to alive through every scavenge (see
 * plainObject in lean-tracer.ts). bench/http-inprocess.bench.ts reports the GC pauses.
 */
class LayerCall {
  ended = false;
  /** The response's "close" listener: it only ends the span. */
  readonly onResponseClose = () => this.end();

  readonly span: Span;
  readonly req: Request;
  /** Whether the layer's path went onto the request's list (and comes off it when it calls back). */
  readonly stored: boolean;
  readonly parentSpan: Span;

  constructor(span: Span, req: Request, stored: boolean, parentSpan: Span) {
    this.span = span;
    this.req = req;
    this.stored = stored;
    this.parentSpan = parentSpan;
  }

  end(): void {
    if (!this.ended) {
      this.ended = true;
      this.span.end();
    }
  }
}

/**
 * The callback Express gets in place of its own: it ends the span (recording an error passed to
 * it), leaves the layer's path off the request's list, and calls Express's callback with the
 * layer's parent span active again, as upstream's does.
 */
// biome-ignore-start lint/complexity/noArguments: Express's callback gets exactly the arguments passed to this one
function wrapCallback(call: LayerCall, callback: Handler): Handler {
  return function next(this: unknown) {
    const { span, req } = call;
    const maybeError = arguments[0];
    const isError = !(
      maybeError === undefined ||
      maybeError === null ||
      maybeError === "route" ||
      maybeError === "router"
    );
    if (!call.ended && isError) recordError(span, maybeError);
    if (!call.ended) {
      offClose(req.res, call.onResponseClose);
      call.end();
    }
    if (!(req.route && isError) && call.stored) (req[LAYERS] as string[]).pop();
    // The callback runs with the layer's parent span active again; when that is already the
    // active span, entering an equal context would change nothing.
    const active = context.active();
    if (trace.getSpan(active) === call.parentSpan) return callback.apply(this, arguments as unknown as unknown[]);
    return context.with(trace.setSpan(active, call.parentSpan), applyHandler, undefined, callback, this, arguments);
  };
}
// biome-ignore-end lint/complexity/noArguments: Express's callback gets exactly the arguments passed to this one

export class LeanExpressInstrumentation extends ExpressInstrumentation {
  constructor(config: ExpressInstrumentationConfig = {}) {
    super(config);
    // An own property shadows the prototype's method, which upstream's Router.route/use and
    // application.use patches call for every layer they add.
    (this as unknown as Internals)._applyPatch = (layer, layerPath) => this.#patchLayer(layer, layerPath);
  }

  #patchLayer(layer: Layer, layerPath: string | undefined): void {
    if (layer[PATCHED] === true) return;
    layer[PATCHED] = true;
    this._wrap(layer, "handle", (original: Handler) => {
      // Error handlers (four parameters) run as they are, as upstream leaves them.
      if (original.length === 4) return original;
      const patched = this.#handler(layer, layerPath, original);
      // Properties of the handler (a router's stack, its settings) stay readable and writable
      // through the wrapper, as upstream makes them.
      for (const key in original)
        Object.defineProperty(patched, key, {
          get() {
            return (original as unknown as Record<string, unknown>)[key];
          },
          set(value) {
            (original as unknown as Record<string, unknown>)[key] = value;
          },
        });
      return patched;
    });
  }

  #handler(layer: Layer, layerPath: string | undefined, original: Handler): Handler {
    const instrumentation = this;
    const stored = layerPath !== undefined;
    const metadataCache = new MetadataCache();
    // biome-ignore-start lint/complexity/noArguments: the handler and the callback get exactly the arguments Express passed
    const patched = function patched(this: unknown, req: Request, res: unknown) {
      let store = req[LAYERS];
      if (!Array.isArray(store)) {
        store = [];
        req[LAYERS] = store;
      }
      if (stored) store.push(layerPath);
      const route = constructedRoute(store);
      const actual = matchedRoute(req, store, route);
      const type = layerType(layer);
      const parentContext = context.active();
      const rpcMetadata = getRPCMetadata(parentContext);
      if (rpcMetadata?.type === RPCType.HTTP) rpcMetadata.route = actual;
      const config = instrumentation.getConfig();
      if (ignored(config, type, route, layer, layerPath)) {
        if (type !== "router" && stored) store.pop();
        return original.apply(this, arguments as unknown as unknown[]);
      }
      const parentSpan = trace.getSpan(parentContext);
      if (parentSpan === undefined) return original.apply(this, arguments as unknown as unknown[]);

      const metadata = metadataCache.of(type, route, layer, layerPath);
      const attributes: Attributes = {
        [ATTR_HTTP_ROUTE]: actual,
        "express.name": metadata.expressName,
        "express.type": type,
      };
      // Upstream asks _getSpanName, which returns the default name unless a hook is configured.
      const name =
        config.spanNameHook instanceof Function
          ? instrumentation._getSpanName({ request: req, layerType: type as never, route }, metadata.name)
          : metadata.name;
      const span = instrumentation.tracer.startSpan(name, { attributes });
      let currentContext: Context = trace.setSpan(parentContext, span);
      const { requestHook } = config;
      if (requestHook) runRequestHook(requestHook, span, { request: req, layerType: type as never, route });
      const call = new LayerCall(span, req, stored, parentSpan);
      if (type === "router") {
        call.end();
        currentContext = parentContext;
      }

      for (let i = 0; i < arguments.length; i++)
        if (typeof arguments[i] === "function") {
          arguments[i] = wrapCallback(call, arguments[i] as Handler);
          break;
        }
      try {
        if (currentContext === parentContext) return original.apply(this, arguments as unknown as unknown[]);
        return context.with(currentContext, applyHandler, undefined, original, this, arguments);
      } catch (thrown) {
        recordError(span, thrown);
        throw thrown;
      } finally {
        // Not ended yet: the layer is asynchronous (it calls back later) or it ends the response
        // itself, in which case the span ends with the response.
        if (!call.ended) onClose(res, call.onResponseClose);
      }
    };
    return patched as Handler;
    // biome-ignore-end lint/complexity/noArguments: the handler and the callback get exactly the arguments Express passed
  }
}
