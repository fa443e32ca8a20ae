// Adds what every span of the company must carry and removes what no span may carry. At start:
// the cluster and service version (constant for the process), and the tenant and user of the
// request, taken from W3C baggage (set once at the edge, then propagated to every service). At the end,
// just before the span becomes read-only: PII and secret redaction of attribute values, event
// attributes and the status message, so values set at any point of the span's life are covered.
import { type Context, propagation } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";
import type { Redactor } from "./redaction.ts";
import { redactString } from "./redaction.ts";
import { setPlainAttribute } from "./span-attributes.ts";

export interface EnrichmentSettings {
  /** Stamped on every span at start (see constantSpanAttributes). */
  constantAttributes?: Readonly<Record<string, string>>;
  tenantBaggageKey: string;
  userBaggageKey: string;
  /** Undefined turns redaction off. */
  redactor: Redactor | undefined;
}

export const ATTR_TENANT = "tenant.id";
export const ATTR_USER = "enduser.id";
export const ATTR_CLUSTER = "k8s.cluster.name";
export const ATTR_SERVICE_VERSION = "service.version";

/** The attributes stamped on every span: cluster and service version, when they are known. */
export function constantSpanAttributes(
  cluster: string | undefined,
  serviceVersion: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (cluster !== undefined) out[ATTR_CLUSTER] = cluster;
  if (serviceVersion !== undefined) out[ATTR_SERVICE_VERSION] = serviceVersion;
  return out;
}

export class EnrichmentSpanProcessor implements SpanProcessor {
  readonly #settings: EnrichmentSettings;
  readonly #constants: readonly (readonly [string, string])[];

  constructor(settings: EnrichmentSettings) {
    this.#settings = settings;
    this.#constants = Object.entries(settings.constantAttributes ?? {});
  }

  onStart(span: Span, parentContext: Context): void {
    const s = this.#settings;
    // The cluster and version go in without the SDK's per-value check (span-attributes.ts).
    for (const [key, value] of this.#constants) setPlainAttribute(span, key, value);
    const baggage = propagation.getBaggage(parentContext);
    if (baggage === undefined) return;
    const tenant = baggage.getEntry(s.tenantBaggageKey);
    if (tenant !== undefined) span.setAttribute(ATTR_TENANT, tenant.value);
    const user = baggage.getEntry(s.userBaggageKey);
    if (user !== undefined) span.setAttribute(ATTR_USER, user.value);
  }

  onEnding(span: Span): void {
    const redactor = this.#settings.redactor;
    if (redactor === undefined) return;
    // The SDK span's attribute maps are plain objects owned by the span; replacing values in place
    // keeps attribute counts and limits exactly as the SDK applied them.
    redactor.redactAttributes(span.attributes);
    for (const event of span.events) if (event.attributes) redactor.redactAttributes(event.attributes);
    const message = span.status.message;
    if (message !== undefined) {
      const redacted = redactString(message);
      if (redacted !== message) span.setStatus({ ...span.status, message: redacted });
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
