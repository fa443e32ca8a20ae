// Fastify support without monkey-patching: Fastify 5 publishes every request it routes on the
// `tracing:fastify.request.handler` diagnostics channel. On `start` we know the route pattern, so
// the HTTP server span (made by the http instrumentation) gets its low-cardinality name
// (`GET /users/:id`) and `http.route`; on `error` the handler's exception is recorded on it.
import diagnosticsChannel from "node:diagnostics_channel";
import { context, type MeterProvider, SpanStatusCode, type TracerProvider, trace } from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";
import type { Instrumentation, InstrumentationConfig } from "@opentelemetry/instrumentation";
import { SDK_NAME, SDK_VERSION } from "./version.ts";

interface HandlerStore {
  route?: { url?: string; method?: string };
  request?: { method?: string };
  error?: unknown;
}

const CHANNEL = "fastify.request.handler";

/** Names the active HTTP server span after the matched route pattern. */
export function nameServerSpanByRoute(method: string, route: string): void {
  const active = context.active();
  const rpc = getRPCMetadata(active);
  // The http instrumentation reads the route from this per-request object when the response ends.
  if (rpc?.type === RPCType.HTTP) rpc.route = route;
  const span = trace.getSpan(active);
  if (span?.isRecording()) {
    span.setAttribute("http.route", route);
    span.updateName(`${method} ${route}`);
  }
}

export class FastifyRouteInstrumentation implements Instrumentation {
  readonly instrumentationName = `${SDK_NAME}/fastify`;
  readonly instrumentationVersion = SDK_VERSION;
  #config: InstrumentationConfig = { enabled: true };
  #enabled = false;
  readonly #channel = diagnosticsChannel.tracingChannel<string, HandlerStore>(CHANNEL);

  readonly #onStart = (message: unknown) => {
    const store = message as HandlerStore;
    const route = store.route?.url;
    if (route !== undefined) nameServerSpanByRoute(store.request?.method ?? store.route?.method ?? "GET", route);
  };

  readonly #onError = (message: unknown) => {
    const store = message as HandlerStore;
    const span = trace.getActiveSpan();
    if (!span?.isRecording() || !(store.error instanceof Error)) return;
    span.recordException(store.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: store.error.message });
  };

  // Like the upstream InstrumentationBase: an enabled instrumentation is active from construction
  // (registerInstrumentations() only calls enable() on those configured as disabled).
  constructor(config: InstrumentationConfig = {}) {
    this.#config = { enabled: true, ...config };
    if (this.#config.enabled) this.enable();
  }

  enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    diagnosticsChannel.subscribe(`tracing:${CHANNEL}:start`, this.#onStart);
    diagnosticsChannel.subscribe(`tracing:${CHANNEL}:error`, this.#onError);
  }

  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    diagnosticsChannel.unsubscribe(`tracing:${CHANNEL}:start`, this.#onStart);
    diagnosticsChannel.unsubscribe(`tracing:${CHANNEL}:error`, this.#onError);
  }

  /** Whether Fastify will see a subscriber (it skips the channel entirely when there is none). */
  get active(): boolean {
    return this.#channel.hasSubscribers;
  }

  setTracerProvider(_provider: TracerProvider): void {}
  setMeterProvider(_provider: MeterProvider): void {}
  setConfig(config: InstrumentationConfig): void {
    this.#config = config;
  }
  getConfig(): InstrumentationConfig {
    return this.#config;
  }
}
