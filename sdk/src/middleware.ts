// Request middleware for Express, Fastify and bare `node:http`. On each request it: names the
// HTTP server span after the route pattern (low cardinality: `GET /users/:id`, never the raw
// path), returns the trace to the caller in a response header (`traceparent`, or `x-trace-id`
// holding just the trace id) so support can find a user's trace, keeps or creates a request id
// (`x-request-id`) and records it, and asks an optional hook for the user and tenant, which are
// recorded on the span and put into baggage so every downstream service sees them too.
// The server span itself comes from the http instrumentation; without it only the headers and
// baggage are handled.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Context, context, trace } from "@opentelemetry/api";
import type { TraceResponseHeader } from "./config.ts";
import { currentTraceIds, currentTraceparent, withBaggageEntries } from "./context.ts";
import { ATTR_TENANT, ATTR_USER } from "./enrichment.ts";
import { nameServerSpanByRoute } from "./fastify-instrumentation.ts";
import { getTracingHandle } from "./setup.ts";

export interface RequestIdentity {
  user?: string;
  tenant?: string;
}

export interface MiddlewareOptions {
  /** Response header carrying the trace; default: the `responseHeader` setting (`traceparent`). */
  responseHeader?: TraceResponseHeader;
  /** Request header holding an incoming request id; default `x-request-id`. */
  requestIdHeader?: string;
  /** Who is calling; return undefined fields for anonymous requests. Errors thrown here are ignored. */
  identify?: (req: IncomingMessage) => RequestIdentity | undefined;
  /** Baggage keys for the identity; default: the tracing settings, so the enrichment processor finds them. */
  tenantBaggageKey?: string;
  userBaggageKey?: string;
}

export const ATTR_REQUEST_ID = "http.request.id";

/** The settings of the tracing running in this process (GL_TRACE_RESPONSE_HEADER and the like). */
function settings() {
  return getTracingHandle()?.config;
}

/** Prepares one request and returns the context the rest of the request should run in. */
export function prepareRequest(req: IncomingMessage, res: ServerResponse, options: MiddlewareOptions): Context {
  const active = context.active();
  const span = trace.getSpan(active);
  const requestIdHeader = options.requestIdHeader ?? "x-request-id";
  const incoming = req.headers[requestIdHeader];
  const requestId = (Array.isArray(incoming) ? incoming[0] : incoming) || randomUUID();
  if (!res.headersSent) {
    res.setHeader(requestIdHeader, requestId);
    const header = options.responseHeader ?? settings()?.responseHeader ?? "traceparent";
    if (header === "traceparent") {
      const value = currentTraceparent(active);
      if (value) res.setHeader("traceparent", value);
    } else if (header === "x-trace-id") {
      const ids = currentTraceIds(active);
      if (ids) res.setHeader("x-trace-id", ids.traceId);
    }
  }
  span?.setAttribute(ATTR_REQUEST_ID, requestId);
  let identity: RequestIdentity | undefined;
  try {
    identity = options.identify?.(req);
  } catch {
    identity = undefined;
  }
  const entries: Record<string, string> = {};
  if (identity?.tenant) {
    span?.setAttribute(ATTR_TENANT, identity.tenant);
    entries[options.tenantBaggageKey ?? settings()?.tenantBaggageKey ?? "tenant.id"] = identity.tenant;
  }
  if (identity?.user) {
    span?.setAttribute(ATTR_USER, identity.user);
    entries[options.userBaggageKey ?? settings()?.userBaggageKey ?? "enduser.id"] = identity.user;
  }
  return Object.keys(entries).length > 0 ? withBaggageEntries(entries, active) : active;
}

type Next = (error?: unknown) => void;

/** Express: `app.use(expressTracing())`. Route naming is done by the express instrumentation. */
export function expressTracing(options: MiddlewareOptions = {}) {
  return function greenlangTracing(req: IncomingMessage, res: ServerResponse, next: Next): void {
    context.with(prepareRequest(req, res, options), next);
  };
}

interface FastifyLikeRequest {
  raw: IncomingMessage;
  method: string;
  routeOptions?: { url?: string };
}
interface FastifyLikeReply {
  raw: ServerResponse;
}
interface FastifyLikeInstance {
  addHook(
    name: "onRequest",
    hook: (request: FastifyLikeRequest, reply: FastifyLikeReply, done: () => void) => void,
  ): unknown;
}

/** Fastify: `await app.register(fastifyTracing())`. Applies to every route of the instance. */
export function fastifyTracing(options: MiddlewareOptions = {}) {
  const plugin = (instance: FastifyLikeInstance, _opts: unknown, done: () => void): void => {
    instance.addHook("onRequest", (request, reply, hookDone) => {
      const route = request.routeOptions?.url;
      if (route !== undefined) nameServerSpanByRoute(request.method, route);
      context.with(prepareRequest(request.raw, reply.raw, options), hookDone);
    });
    done();
  };
  // Fastify's convention (what the fastify-plugin package sets): do not encapsulate, so the hook
  // covers routes registered outside this plugin too.
  Object.assign(plugin, {
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: "greenlang-tracing",
  });
  return plugin;
}

export interface HttpTracingOptions extends MiddlewareOptions {
  /** Maps a request to its route pattern (e.g. `/users/:id`) for the span name. */
  route?: (req: IncomingMessage) => string | undefined;
}

/** Bare node:http: `http.createServer(httpTracing(handler, { route }))`. */
export function httpTracing<Req extends IncomingMessage, Res extends ServerResponse>(
  handler: (req: Req, res: Res) => void,
  options: HttpTracingOptions = {},
): (req: Req, res: Res) => void {
  return (req, res) => {
    const route = options.route?.(req);
    if (route !== undefined) nameServerSpanByRoute(req.method ?? "GET", route);
    context.with(prepareRequest(req, res, options), () => handler(req, res));
  };
}
