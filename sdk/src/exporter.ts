// The OTLP span exporter for the configured protocol. http/protobuf is the default: it is what the
// Collector's OTLP receiver and most vendors recommend, needs no HTTP/2 and passes plain proxies.
//
// Over HTTP the body is gzipped by our serializer at a configurable level (default 1) rather than
// by the upstream transport, which always streams through zlib's default level 6. Spans are
// repetitive enough that level 1 keeps nearly all of the saving at a fifth of the CPU
// (bench/compression.bench.ts: 38 bytes and 0.57 µs per HTTP server span, against 35 bytes and
// 2.85 µs for the upstream stream); in a busy service that CPU is taken from requests.
import { gzipSync } from "node:zlib";
import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { CompressionAlgorithm, OTLPExporterBase } from "@opentelemetry/otlp-exporter-base";
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from "@opentelemetry/otlp-exporter-base/node-http";
import { createEmptyMetadata } from "@opentelemetry/otlp-grpc-exporter-base";
import {
  type IExportTraceServiceResponse,
  type ISerializer,
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from "@opentelemetry/otlp-transformer";
import { ConsoleSpanExporter, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { TracingConfig } from "./config.ts";
import { encodeTraceRequest } from "./otlp-encoder.ts";

type ExporterSettings = Pick<
  TracingConfig,
  "protocol" | "tracesEndpoint" | "headers" | "timeoutMillis" | "compression" | "compressionLevel"
> &
  Partial<Pick<TracingConfig, "tracesExporter">>;

type TraceSerializer = ISerializer<ReadableSpan[], IExportTraceServiceResponse>;

// The component type the upstream OTLP/HTTP span exporters report in their self-observability.
const HTTP_SPAN_EXPORTER_COMPONENT = "otlp_http_span_exporter";

/**
 * OTLP/protobuf: the request body from our encoder (the upstream serializer's bytes for less
 * CPU, see otlp-encoder.ts); responses read by upstream's.
 */
const protobufSerializer: TraceSerializer = {
  serializeRequest: (spans) => encodeTraceRequest(spans),
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

/** Wraps a serializer so that every request body it produces is gzipped at `level`. */
function gzipping(serializer: TraceSerializer, level: number): TraceSerializer {
  return {
    serializeRequest(spans) {
      const body = serializer.serializeRequest(spans);
      return body && gzipSync(body, { level });
    },
    deserializeResponse: (data) => serializer.deserializeResponse(data),
  };
}

/**
 * An OTLP/HTTP span exporter built with the same calls the upstream OTLPTraceExporter classes of
 * exporter-trace-otlp-proto/-http 0.300.0 make (same options, environment fallbacks, retries and
 * concurrency limit), except that gzip happens in the serializer. Recheck against them on upgrade:
 * `convertLegacyHttpOptions` is marked for removal in otlp-exporter-base 2.0.
 */
function httpExporter(config: ExporterSettings, serializer: TraceSerializer, contentType: string): SpanExporter {
  const gzip = config.compression === "gzip";
  const requiredHeaders: Record<string, string> = { "Content-Type": contentType };
  if (gzip) requiredHeaders["Content-Encoding"] = "gzip";
  const options = convertLegacyHttpOptions(
    {
      url: config.tracesEndpoint,
      timeoutMillis: config.timeoutMillis,
      headers: config.headers,
      // The body arrives compressed already; the transport must not compress it again.
      compression: CompressionAlgorithm.NONE,
    },
    "TRACES",
    "v1/traces",
    requiredHeaders,
  );
  return new OTLPExporterBase<ReadableSpan[]>(
    createOtlpHttpExportDelegate(
      options,
      gzip ? gzipping(serializer, config.compressionLevel) : serializer,
      HTTP_SPAN_EXPORTER_COMPONENT,
      TraceExporterMetricsHelper,
      undefined,
    ),
  );
}

/** OTLP headers as gRPC metadata, for every signal exported over gRPC. */
export function grpcMetadata(headers: Record<string, string>): ReturnType<typeof createEmptyMetadata> {
  const metadata = createEmptyMetadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}

/** The exporter for `OTEL_TRACES_EXPORTER` (otlp or console); undefined for `none`. */
export function createSpanExporter(config: ExporterSettings): SpanExporter | undefined {
  if (config.tracesExporter === "none") return undefined;
  if (config.tracesExporter === "console") return new ConsoleSpanExporter();
  switch (config.protocol) {
    case "grpc": {
      // gRPC credentials follow the URL scheme (http: insecure, https: TLS).
      const metadata = grpcMetadata(config.headers);
      const compression = config.compression === "gzip" ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
      return new GrpcExporter({
        url: config.tracesEndpoint,
        timeoutMillis: config.timeoutMillis,
        compression,
        metadata,
      });
    }
    case "http/json":
      return httpExporter(config, JsonTraceSerializer, "application/json");
    default:
      return httpExporter(config, protobufSerializer, "application/x-protobuf");
  }
}
