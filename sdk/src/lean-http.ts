// The upstream http instrumentation with a cheaper server path and the same spans. Upstream, each
// incoming request pays for the URL parser (see http-attributes.ts), for argument arrays and
// closures around every step, and for two of its own listeners on the response that it adds after
// binding the response to the request's context: each is wrapped in a context-restoring closure,
// has its `length` redefined and is recorded in two maps, so that when it runs the request's
// context is active. Here those two listeners go straight onto the response and enter the
// request's context themselves, only when they run (the one for "close" finishing the span the way
// upstream's does, with fewer intermediate objects); the request and response are still bound for
// every listener the application or a framework adds, exactly as upstream. Requests the fast path
// does not cover (see leanServerAttributes) and configurations with hooks take the upstream code
// unchanged, as does the whole client side.
//
// This reaches into private methods of HttpInstrumentation 0.300.0 (named in UpstreamInternals);
// test/http-conformance.int.test.ts compares the spans of both paths request by request, so an
// upgrade that changes them fails there first.

import { errorMonitor } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Attributes,
  type Context,
  context,
  type HrTime,
  propagation,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import {
  hrTime,
  hrTimeDuration,
  hrTimeToMilliseconds,
  type RPCMetadata,
  RPCType,
  setRPCMetadata,
  suppressTracing,
} from "@opentelemetry/core";
import { HttpInstrumentation, type HttpInstrumentationConfig } from "@opentelemetry/instrumentation-http";
import { leanServerAttributes } from "./http-attributes.ts";
import { LinkedContext } from "./linked-context.ts";
import { setPlainAttribute } from "./span-attributes.ts";

const EMPTY_CONTEXT = LinkedContext.empty();

type Emit = (this: unknown, event: string, ...args: unknown[]) => boolean;
type MetricAttributes = Attributes;

/** The upstream methods this path calls or replaces (private in the type declarations). */
interface UpstreamInternals {
  _incomingRequestFunction(component: "http" | "https", original: Emit): Emit;
  _startHttpSpan(name: string, options: SpanOptions, ctx: Context): Span;
  _onServerResponseError(span: Span, metricAttributes: MetricAttributes, startTime: HrTime, error: Error): void;
  _closeHttpSpan(span: Span, kind: SpanKind, startTime: HrTime, metricAttributes: MetricAttributes): void;
  _recordServerDuration(durationMs: number, metricAttributes: MetricAttributes): void;
  _diag: { error(message: string, ...args: unknown[]): void };
}

/**
 * What upstream's _onServerResponseFinish does when the response closes, for a lean
 * configuration (no header capture, no applyCustomAttributesOnSpan), reading the route from the
 * request's RPC metadata directly rather than from the active context (the same object): the
 * status code and route on the span and in the duration metric's attributes, the status, the
 * error type of a 5xx, the name after the route; then upstream's close.
 */
function finishServerSpan(
  server: ServerSpan,
  request: IncomingMessage,
  response: ServerResponse,
  rpcMetadata: RPCMetadata,
): void {
  const { span, metricAttributes } = server;
  const statusCode = response.statusCode;
  const route = rpcMetadata.route;
  if (route !== undefined) metricAttributes["http.route"] = route;
  const errorType = statusCode >= 500 && statusCode < 600 ? String(statusCode) : undefined;
  if (statusCode) {
    metricAttributes["http.response.status_code"] = statusCode;
    if (errorType !== undefined) metricAttributes["error.type"] = errorType;
  }
  // Set as upstream's setAttribute would, without its per-value check (span-attributes.ts).
  setPlainAttribute(span, "http.response.status_code", statusCode);
  if (route !== undefined) setPlainAttribute(span, "http.route", route);
  span.setStatus({
    code: statusCode && statusCode >= 100 && statusCode < 500 ? SpanStatusCode.UNSET : SpanStatusCode.ERROR,
  });
  if (errorType !== undefined) setPlainAttribute(span, "error.type", errorType);
  if (route) span.updateName(serverSpanName(request.method || "GET", route));
  server.close();
}

/** Server span names made so far, by route, then method (routes are templates: a bounded set). */
const spanNames = new Map<string, Map<string, string>>();
const MAX_NAMED_ROUTES = 1024;

/**
 * Upstream's `${method} ${route}`, made once per route and method: a name made anew for every
 * request is a string that the span metrics (a map keyed by span name) and the encoder each have
 * to flatten and read again, which showed in the CPU profile of the bench's Express route.
 */
function serverSpanName(method: string, route: string): string {
  let byMethod = spanNames.get(route);
  const known = byMethod?.get(method);
  if (known !== undefined) return known;
  const name = `${method} ${route}`;
  if (byMethod === undefined) {
    // An application that makes a route of every path gets no help, and no unbounded map.
    if (spanNames.size >= MAX_NAMED_ROUTES) spanNames.clear();
    byMethod = new Map();
    spanNames.set(route, byMethod);
  }
  byMethod.set(method, name);
  return name;
}

/**
 * One request's server span and what ends it, as upstream's _startHttpSpan, _closeHttpSpan and
 * _onServerResponseError do. Upstream keeps every open span in a WeakSet so that it ends once
 * (whichever of "close", the response's error or a throwing handler comes first); adding to and
 * deleting from a WeakSet on every request, and the garbage collector's work on its entries, cost
 * more than this flag, which does the same for the one span it belongs to. With
 * requireParentforIncomingSpans the span may be a remote parent's, so that case keeps upstream's
 * methods as they are.
 */
class ServerSpan {
  readonly span: Span;
  readonly metricAttributes: MetricAttributes;
  readonly #internals: UpstreamInternals;
  readonly #startTime: HrTime;
  #open = true;
  readonly #upstream: boolean;

  constructor(
    internals: UpstreamInternals,
    tracer: Tracer,
    method: string,
    options: SpanOptions,
    parent: Context,
    startTime: HrTime,
    metricAttributes: MetricAttributes,
    requireParent: boolean | undefined,
  ) {
    this.#internals = internals;
    this.#startTime = startTime;
    this.metricAttributes = metricAttributes;
    this.#upstream = requireParent === true;
    this.span = this.#upstream
      ? internals._startHttpSpan(method, options, parent)
      : tracer.startSpan(method, options, parent);
  }

  /** Ends the span and records the request's duration, the first time only. */
  close(): void {
    if (this.#upstream) {
      this.#internals._closeHttpSpan(this.span, SpanKind.SERVER, this.#startTime, this.metricAttributes);
      return;
    }
    if (!this.#open) return;
    this.#open = false;
    this.span.end();
    const duration = hrTimeToMilliseconds(hrTimeDuration(this.#startTime, hrTime()));
    this.#internals._recordServerDuration(duration, this.metricAttributes);
  }

  /** Upstream's _onServerResponseError: the error on the span (even when it has ended), then close. */
  fail(error: Error): void {
    if (this.#upstream) {
      this.#internals._onServerResponseError(this.span, this.metricAttributes, this.#startTime, error);
      return;
    }
    this.span.setAttribute("error.type", error.name);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    this.span.recordException(error);
    this.metricAttributes["error.type"] = error.name;
    this.close();
  }
}

/** Whether a configuration uses only what the lean path implements; anything else goes upstream. */
function leanConfig(config: HttpInstrumentationConfig): boolean {
  return (
    config.redactedQueryParamsServer !== undefined &&
    config.requestHook === undefined &&
    config.responseHook === undefined &&
    config.startIncomingSpanHook === undefined &&
    config.applyCustomAttributesOnSpan === undefined &&
    config.enableSyntheticSourceDetection !== true &&
    !config.headersToSpanAttributes?.server?.requestHeaders?.length &&
    !config.headersToSpanAttributes?.server?.responseHeaders?.length
  );
}

export class LeanHttpInstrumentation extends HttpInstrumentation {
  constructor(config: HttpInstrumentationConfig = {}) {
    super(config);
    // An own property shadows the prototype's method, which the patch of Server.prototype.emit
    // calls when node:http or node:https is loaded (after this constructor).
    const self = this as unknown as UpstreamInternals;
    const upstream = HttpInstrumentation.prototype as unknown as UpstreamInternals;
    self._incomingRequestFunction = (component, original) =>
      this.#incomingRequestFunction(
        component,
        original,
        upstream._incomingRequestFunction.call(this, component, original),
      );
  }

  #redactedKeys: { list: readonly string[] | undefined; set: ReadonlySet<string> } = {
    list: undefined,
    set: new Set(),
  };

  /** The configured query parameters to redact, as a set (rebuilt when the configuration changes). */
  #redacted(list: readonly string[]): ReadonlySet<string> {
    if (this.#redactedKeys.list !== list) this.#redactedKeys = { list, set: new Set(list) };
    return this.#redactedKeys.set;
  }

  #incomingRequestFunction(component: "http" | "https", original: Emit, upstreamEmit: Emit): Emit {
    const instrumentation = this;
    const internals = this as unknown as UpstreamInternals;
    return function incomingRequest(this: unknown, event: string) {
      // biome-ignore lint/complexity/noArguments: forwards emit's arguments without copying them
      const args = arguments as unknown as [string, IncomingMessage, ServerResponse];
      if (event !== "request") return original.apply(this, args);
      const config = instrumentation.getConfig();
      const request = args[1];
      const response = args[2];
      const spanAttributes = leanConfig(config)
        ? leanServerAttributes(request, component, instrumentation.#redacted(config.redactedQueryParamsServer ?? []))
        : undefined;
      if (spanAttributes === undefined) return upstreamEmit.apply(this, args);
      let ignored = false;
      try {
        ignored = Boolean(config.ignoreIncomingRequestHook?.(request));
      } catch (error) {
        if (error != null) internals._diag.error("caught ignoreIncomingRequestHook error: ", error);
      }
      if (ignored)
        return context.with(suppressTracing(context.active()), () => {
          context.bind(context.active(), request);
          context.bind(context.active(), response);
          return original.apply(this, args);
        });

      const startTime = hrTime();
      const metricAttributes: MetricAttributes = {
        "http.request.method": spanAttributes["http.request.method"],
        "url.scheme": spanAttributes["url.scheme"],
      };
      if (spanAttributes["network.protocol.version"])
        metricAttributes["network.protocol.version"] = spanAttributes["network.protocol.version"];
      // Upstream extracts into ROOT_CONTEXT; an empty linked context holds the same (nothing), and
      // the request's contexts derived from it cost a link each instead of a copy (linked-context.ts).
      const parent = propagation.extract(EMPTY_CONTEXT, request.headers);
      const server = new ServerSpan(
        internals,
        instrumentation.tracer,
        request.method as string,
        { kind: SpanKind.SERVER, attributes: spanAttributes },
        parent,
        startTime,
        metricAttributes,
        config.requireParentforIncomingSpans,
      );
      const span = server.span;
      const rpcMetadata: RPCMetadata = { type: RPCType.HTTP, span };
      const requestContext = setRPCMetadata(trace.setSpan(parent, span), rpcMetadata);

      // Upstream order: the response's "close" and error listeners come before the application's.
      // Upstream's "close" listener runs in the request's context; finishing the span reads none
      // (the route comes from the request's RPC metadata, the duration metric's SDK keeps no
      // exemplars, span processors are given the span alone), so this one does not enter it:
      // a context switch per request, two copies of AsyncLocalStorage's frame, saved.
      let hasError = false;
      response.on("close", () => {
        if (hasError) return;
        finishServerSpan(server, request, response, rpcMetadata);
      });
      response.on(errorMonitor, (error: Error) => {
        hasError = true;
        context.with(requestContext, () => server.fail(error));
      });
      return context.with(requestContext, () => {
        context.bind(requestContext, request);
        context.bind(requestContext, response);
        try {
          return original.apply(this, args);
        } catch (error) {
          // As upstream (safeExecuteInTheMiddle): a falsy throw is swallowed.
          if (!error) return undefined as unknown as boolean;
          server.fail(error as Error);
          throw error;
        }
      });
    };
  }
}
