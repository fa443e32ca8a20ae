// The logs signal: what pino, winston and bunyan write inside a service, as OTLP log records with
// the trace and span they were written in, through the same redaction as span attributes. The
// instrumentations of those loggers bridge each record to the global LoggerProvider that NodeSDK
// sets up from these processors; with OTEL_LOGS_EXPORTER=none (the default) there are none, and
// the instrumentations only put trace ids into the records.
import { diag } from "@opentelemetry/api";
import { OTLPLogExporter as GrpcLogExporter } from "@opentelemetry/exporter-logs-otlp-grpc";
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtobufLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadWriteLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import type { TracingConfig } from "./config.ts";
import { grpcMetadata } from "./exporter.ts";
import { type Redactor, redactString } from "./redaction.ts";

/** Redacts each record's attributes as a span's are, and a string body by content. */
export class RedactingLogProcessor implements LogRecordProcessor {
  readonly #redactor: Redactor;
  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }
  onEmit(record: ReadWriteLogRecord): void {
    const attributes = { ...record.attributes };
    if (this.#redactor.redactAttributes(attributes as Parameters<Redactor["redactAttributes"]>[0]) > 0)
      record.setAttributes(attributes as Parameters<ReadWriteLogRecord["setAttributes"]>[0]);
    if (typeof record.body === "string") {
      const body = redactString(record.body);
      if (body !== record.body) record.setBody(body);
    }
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type LogsSettings = Pick<TracingConfig, "logsExporter" | "logsEndpoint" | "protocol" | "headers" | "timeoutMillis">;

function otlpLogExporter(config: LogsSettings): LogRecordExporter {
  const options = { url: config.logsEndpoint, headers: config.headers, timeoutMillis: config.timeoutMillis };
  switch (config.protocol) {
    case "grpc":
      return new GrpcLogExporter({
        url: config.logsEndpoint,
        timeoutMillis: config.timeoutMillis,
        metadata: grpcMetadata(config.headers),
      });
    case "http/json":
      return new JsonLogExporter(options);
    default:
      return new ProtobufLogExporter(options);
  }
}

/**
 * The processors of OTEL_LOGS_EXPORTER: none for `none`; redaction first, then the export. Tests
 * pass `testExporter` to receive the records (redacted, synchronously) whatever the setting.
 */
export function createLogRecordProcessors(
  config: LogsSettings,
  redactor: Redactor | undefined,
  testExporter?: LogRecordExporter,
): LogRecordProcessor[] {
  const processors: LogRecordProcessor[] = redactor ? [new RedactingLogProcessor(redactor)] : [];
  if (testExporter) return [...processors, new SimpleLogRecordProcessor({ exporter: testExporter })];
  if (config.logsExporter === "none") return [];
  if (config.logsExporter === "console")
    processors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
  else processors.push(new BatchLogRecordProcessor({ exporter: otlpLogExporter(config) }));
  diag.debug(
    `@greenlang/tracing: logs go to ${config.logsExporter === "console" ? "the console" : config.logsEndpoint}`,
  );
  return processors;
}
