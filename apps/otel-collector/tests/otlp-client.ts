// A minimal OTLP/HTTP JSON client (the wire format services' SDKs use with http/json), enough to send
// test spans with fetch and no SDK: https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
import { randomBytes } from "node:crypto";

export type AttributeValue = string | number | boolean;

export interface TestSpan {
  service: string;
  name: string;
  /** Span attributes. */
  attributes?: Record<string, AttributeValue>;
  /** true = status ERROR. */
  error?: boolean;
  durationMs?: number;
  traceId?: string;
  /** 16 hex digits; random when not given. */
  spanId?: string;
}

export const newTraceId = (): string => randomBytes(16).toString("hex");
const newSpanId = (): string => randomBytes(8).toString("hex");

function otlpValue(value: AttributeValue): Record<string, AttributeValue | string> {
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "number") return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  return { stringValue: value };
}

const otlpAttributes = (attributes: Record<string, AttributeValue>) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: otlpValue(value) }));

/** One ExportTraceServiceRequest in OTLP/JSON; each span becomes its own resource (its service). */
export function exportRequest(spans: (TestSpan & { traceId: string })[]): object {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: spans.map((s) => ({
      resource: { attributes: otlpAttributes({ "service.name": s.service }) },
      scopeSpans: [
        {
          scope: { name: "apps/otel-collector/tests" },
          spans: [
            {
              traceId: s.traceId,
              spanId: s.spanId ?? newSpanId(),
              name: s.name,
              kind: 2, // SERVER
              startTimeUnixNano: String(now - BigInt(s.durationMs ?? 5) * 1_000_000n),
              endTimeUnixNano: String(now),
              attributes: otlpAttributes(s.attributes ?? {}),
              status: s.error ? { code: 2, message: "boom" } : { code: 0 },
            },
          ],
        },
      ],
    })),
  };
}

/** POSTs spans to an OTLP/HTTP receiver (`http://host:port`); returns their trace ids. */
export async function sendSpans(baseUrl: string, spans: TestSpan[]): Promise<string[]> {
  const withIds = spans.map((s) => ({ ...s, traceId: s.traceId ?? newTraceId() }));
  const response = await fetch(`${baseUrl}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(exportRequest(withIds)),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok)
    throw new Error(`OTLP/HTTP export to ${baseUrl} failed: ${response.status} ${await response.text()}`);
  return withIds.map((s) => s.traceId);
}
