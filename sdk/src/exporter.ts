// The OTLP span exporter for the configured protocol. http/protobuf is the default: it is what the
// Collector's OTLP receiver and most vendors recommend, needs no HTTP/2 and passes plain proxies.

import { OTLPTraceExporter as GrpcExporter } from "@opentelemetry/exporter-trace-otlp-grpc";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { createEmptyMetadata } from "@opentelemetry/otlp-grpc-exporter-base";
import { ConsoleSpanExporter, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { TracingConfig } from "./config.ts";

type ExporterSettings = Pick<
  TracingConfig,
  "protocol" | "tracesEndpoint" | "headers" | "timeoutMillis" | "compression"
> &
  Partial<Pick<TracingConfig, "tracesExporter">>;

/** The exporter for `OTEL_TRACES_EXPORTER` (otlp or console); undefined for `none`. */
export function createSpanExporter(config: ExporterSettings): SpanExporter | undefined {
  if (config.tracesExporter === "none") return undefined;
  if (config.tracesExporter === "console") return new ConsoleSpanExporter();
  const compression = config.compression === "gzip" ? CompressionAlgorithm.GZIP : CompressionAlgorithm.NONE;
  const common = { url: config.tracesEndpoint, timeoutMillis: config.timeoutMillis, compression };
  switch (config.protocol) {
    case "grpc": {
      // gRPC credentials follow the URL scheme (http: insecure, https: TLS); headers become metadata.
      const metadata = createEmptyMetadata();
      for (const [key, value] of Object.entries(config.headers)) metadata.set(key, value);
      return new GrpcExporter({ ...common, metadata });
    }
    case "http/json":
      return new JsonExporter({ ...common, headers: config.headers });
    default:
      return new ProtoExporter({ ...common, headers: config.headers });
  }
}
